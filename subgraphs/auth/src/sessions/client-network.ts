import { isIPv4, isIPv6 } from 'node:net';
import { UAParser } from 'ua-parser-js';

/** IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) are IPv4 clients. */
export function unmapped(ip: string): string {
  return ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
}

/** The first `count` groups of an IPv6 address, `::` expanded, lower-case, without leading zeros. */
export function ipv6Prefix(address: string, count: number): string {
  const [head = '', tail = ''] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups;
  return groups
    .slice(0, count)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':');
}

/**
 * The network a client is in, not its address (data minimization): the /24 of an IPv4 address,
 * the /48 of an IPv6 one.
 */
export function coarseNetwork(ip: string | null): string | null {
  if (!ip) return null;
  const address = unmapped(ip);
  if (isIPv4(address)) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  return isIPv6(address) ? `${ipv6Prefix(address, 3)}::/48` : null;
}

/** "Firefox 133 on Windows" from a user agent, or null when nothing useful can be told. */
export function deviceLabel(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const { browser, os } = UAParser(userAgent);
  const app = [browser.name, browser.major].filter(Boolean).join(' ');
  const system = [os.name, os.version?.split('.')[0]].filter(Boolean).join(' ');
  if (app && system) return `${app} on ${system}`;
  return app || system || null;
}
