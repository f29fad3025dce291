import type { IncomingMessage } from 'node:http';
import { ROUTER_TOKEN_HEADER, graphqlErrorReply, jsonReply, type GetRoute, type RouterTokenVerifier } from '@meridian/platform';

export { REVOKED_SESSIONS_PATH } from '@meridian/platform';
import type { SessionUseCases } from './sessions.usecases.js';

/**
 * Sessions ended since the horizon `?after=<transaction id>` (all of the last access-token lifetime
 * without it), for the router's denylist. Only the router may ask (a router token addressed to this
 * service); the answer carries the next horizon, which the router passes back.
 */
export function revokedSessionsRoute(deps: { sessions: SessionUseCases; verifyRouterToken: RouterTokenVerifier; accessTokenTtlSeconds: number }): GetRoute {
  return async (req: IncomingMessage) => {
    const header = req.headers[ROUTER_TOKEN_HEADER];
    const check = await deps.verifyRouterToken(Array.isArray(header) ? header[0] : header, undefined);
    if (!check.ok) return graphqlErrorReply(403, 'FORBIDDEN', 'This service accepts requests only through the Meridian router');
    // Older revocations do not matter: every access token of those sessions has expired.
    const notBefore = new Date(Date.now() - (deps.accessTokenTtlSeconds + 60) * 1000);
    const requested = new URL(req.url ?? '/', 'http://localhost').searchParams.get('after');
    const after = requested && /^\d{1,20}$/.test(requested) ? requested : null;
    const { next, sessions } = await deps.sessions.revokedAfter(after, notBefore);
    return jsonReply(200, { next, sessions: sessions.map((session) => ({ id: session.id, revokedAt: session.revokedAt.getTime() })) });
  };
}
