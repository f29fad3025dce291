import { isIPv4, isIPv6 } from 'node:net';
import { UAParser } from 'ua-parser-js';

/**
 * The network a client is in, not its address (data minimization): the /24 of an IPv4 address,
 * the /48 of an IPv6 one. IPv4-mapped IPv6 addresses count as IPv4.
 */
export function coarseNetwork(ip: string | null): string | null {
  if (!ip) return null;
  const address = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (isIPv4(address)) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  if (!isIPv6(address)) return null;
  const [head = '', tail = ''] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups;
  return `${groups.slice(0, 3).map((group) => group.replace(/^0+(?=.)/, '').toLowerCase()).join(':')}::/48`;
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
