import type { IncomingMessage } from 'node:http';
import { graphqlErrorReply, type GetRoute, type HttpReply } from './http-service.js';
import { ROUTER_TOKEN_HEADER, type RouterTokenVerifier } from './router-token.js';

/** The localization service's current shop settings (enabled locales and currencies, defaults), for the router. */
export const SHOP_SETTINGS_PATH = '/internal/shop';
/** The users service's language and currency preferences of one user (`?user=<id>`), for the router. */
export const PREFERENCES_PATH = '/internal/preferences';

/**
 * A GET route only the router may call: the request must carry a router token addressed to this
 * service (and no access token), as the router's own background reads do.
 */
export function routerOnlyRoute(verifyRouterToken: RouterTokenVerifier, handle: (url: URL) => Promise<HttpReply>): GetRoute {
  return async (req: IncomingMessage) => {
    const header = req.headers[ROUTER_TOKEN_HEADER];
    const check = await verifyRouterToken(Array.isArray(header) ? header[0] : header, undefined);
    if (!check.ok) return graphqlErrorReply(403, 'FORBIDDEN', 'This service accepts requests only through the Meridian router');
    return handle(new URL(req.url ?? '/', 'http://localhost'));
  };
}
