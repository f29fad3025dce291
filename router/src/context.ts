import type { ClientInfo, ContextRequest, Logger, RequestLanguage, VerifiedCaller, Viewer } from '@meridian/platform';
import type { RefreshCookieExchange } from './refresh-cookie.js';

/** The router's per-request context: what the edge verified, and what every subgraph call carries on. */
export interface RouterContext {
  requestId: string;
  /** The caller's access token as verified at the edge: forwarded to subgraphs as is, its claims carried in their router tokens. */
  caller: VerifiedCaller | undefined;
  viewer: Viewer | null;
  client: ClientInfo;
  /** The browser's refresh cookie: relayed to the auth service only, and updated from its answers. */
  refreshCookie: RefreshCookieExchange;
  /** What the request says about its language and currency (headers, profile, Accept-Language; `@inContext` once parsed). */
  localizationRequest: ContextRequest;
  /** The locale and currency resolved from it: carried to every subgraph in the router token, and back in `extensions.context`. */
  localization: RequestLanguage;
  /** Aborts when the client has gone before its answer: the subgraph calls made for it are abandoned. */
  signal: AbortSignal;
  log: Logger;
}
