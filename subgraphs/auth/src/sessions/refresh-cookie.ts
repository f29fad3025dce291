import type { ApolloServerPlugin } from '@apollo/server';
import {
  REFRESH_COOKIE_MAX_AGE_LIMIT_SECONDS,
  REFRESH_COOKIE_UPDATE_HEADER,
  formatRefreshCookieUpdate,
  type RefreshCookieUpdate,
} from '@meridian/platform';
import type { TokenDelivery } from '../__generated__/resolvers-types.js';
import type { AuthContext } from '../context.js';
import type { IssuedSession } from './sessions.model.js';

/**
 * The browser's refresh cookie as one request sees it: the token the router relayed from it (bound into
 * the router token; the service never reads a cookie header itself), and what the router is to do with
 * the cookie afterwards. The router sets the cookie's attributes; this service only says store or clear.
 */
export interface RefreshCookie {
  /** The refresh token in the browser's cookie, or null when the request carried none (or came from an origin that may not use it). */
  readonly presented: string | null;
  /** The last instruction given, sent to the router with the answer. */
  readonly update: RefreshCookieUpdate | null;
  /** Asks the router to keep `token` in the cookie until it expires. */
  store(token: string, expiresAt: Date): void;
  /** Asks the router to delete the cookie. */
  clear(): void;
}

export function createRefreshCookie(presented: string | null, now: () => number = Date.now): RefreshCookie {
  let update: RefreshCookieUpdate | null = null;
  return {
    presented,
    get update() {
      return update;
    },
    store(token, expiresAt) {
      const seconds = Math.floor((expiresAt.getTime() - now()) / 1000);
      update = { action: 'store', token, maxAgeSeconds: Math.min(Math.max(seconds, 1), REFRESH_COOKIE_MAX_AGE_LIMIT_SECONDS) };
    },
    clear() {
      update = { action: 'clear' };
    },
  };
}

/**
 * The session as the client receives it. With `COOKIE` the refresh token goes to the browser's HttpOnly
 * cookie, where no script can read it (OWASP; IETF OAuth 2.0 for Browser-Based Applications), and the
 * body's is null; with `BODY` nothing changes.
 */
export function deliverSession(session: IssuedSession, delivery: TokenDelivery, cookie: RefreshCookie): IssuedSession {
  if (delivery !== 'COOKIE' || session.refreshToken === null) return session;
  cookie.store(session.refreshToken, session.refreshTokenExpiresAt);
  return { ...session, refreshToken: null };
}

/** Sends a request's cookie instruction to the router, in a header the router reads on this service's answers only. */
export function refreshCookiePlugin(): ApolloServerPlugin<AuthContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const update = contextValue.refreshCookie.update;
          if (update) response.http.headers.set(REFRESH_COOKIE_UPDATE_HEADER, formatRefreshCookieUpdate(update));
        },
      };
    },
  };
}
