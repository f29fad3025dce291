import type { IncomingMessage } from 'node:http';
import type { ClientInfo } from '@meridian/platform';

const MAX_USER_AGENT_LENGTH = 256;

/**
 * The client's address is the connection's peer, unless `trustProxyHops` proxies are declared in
 * front of the router: then it is the address the outermost trusted proxy saw.
 */
export function clientInfo(req: IncomingMessage, trustProxyHops: number): ClientInfo {
  let ip = req.socket.remoteAddress ?? null;
  if (trustProxyHops > 0) {
    const forwarded = String(req.headers['x-forwarded-for'] ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    ip = forwarded[forwarded.length - trustProxyHops] ?? forwarded[0] ?? ip;
  }
  const userAgent = req.headers['user-agent'];
  return { ip, userAgent: userAgent ? userAgent.slice(0, MAX_USER_AGENT_LENGTH) : null };
}
