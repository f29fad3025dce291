import type { IncomingMessage } from 'node:http';
import { ROUTER_TOKEN_HEADER, graphqlErrorReply, jsonReply, type GetRoute, type RouterTokenVerifier } from '@meridian/platform';

export { REVOKED_SESSIONS_PATH } from '@meridian/platform';
import type { SessionUseCases } from './sessions.usecases.js';

/**
 * Sessions ended since `?since=<epoch ms>`, for the router's denylist. Only the router may ask
 * (a router token addressed to this service); the answer carries this server's clock, which the
 * router passes back as the next `since`.
 */
export function revokedSessionsRoute(deps: { sessions: SessionUseCases; verifyRouterToken: RouterTokenVerifier; accessTokenTtlSeconds: number }): GetRoute {
  return async (req: IncomingMessage) => {
    const header = req.headers[ROUTER_TOKEN_HEADER];
    const check = await deps.verifyRouterToken(Array.isArray(header) ? header[0] : header, undefined);
    if (!check.ok) return graphqlErrorReply(403, 'FORBIDDEN', 'This service accepts requests only through the Meridian router');
    const now = Date.now();
    // Older revocations do not matter: every access token of those sessions has expired.
    const horizon = now - (deps.accessTokenTtlSeconds + 60) * 1000;
    const requested = Number(new URL(req.url ?? '/', 'http://localhost').searchParams.get('since'));
    const since = new Date(Number.isFinite(requested) && requested > horizon ? requested : horizon);
    const revoked = await deps.sessions.revokedSince(since);
    return jsonReply(200, { now, sessions: revoked.map((session) => ({ id: session.id, revokedAt: session.revokedAt.getTime() })) });
  };
}
