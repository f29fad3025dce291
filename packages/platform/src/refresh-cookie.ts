/**
 * How the browser's refresh cookie crosses the router, which alone speaks HTTP with the browser. Both
 * directions exist only between the router and the auth service:
 * - to the auth service: the router relays the cookie's value in REFRESH_COOKIE_HEADER, bound into that
 *   call's router token by its SHA-256 (router-token.ts), and only for a request whose origin may use
 *   the cookie; the auth service hands it to its use cases through its typed context;
 * - back: the auth service asks the router to store a new refresh token in the cookie, or to delete it,
 *   with REFRESH_COOKIE_UPDATE_HEADER on its answer. The router reads that header only on answers of
 *   the auth service and never forwards client headers, so no client can set the cookie through it.
 */
export const REFRESH_COOKIE_HEADER = 'x-meridian-refresh-cookie';
export const REFRESH_COOKIE_UPDATE_HEADER = 'x-meridian-refresh-cookie-update';

/** What the router is to do with the browser's refresh cookie after a request. */
export type RefreshCookieUpdate = { action: 'store'; token: string; maxAgeSeconds: number } | { action: 'clear' };

// Refresh tokens are 256 random bits in base64url; anything else is not stored in a cookie.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** RFC 6265bis 5.6.2: browsers cap a cookie's lifetime at 400 days; a longer refresh token's cookie says 400. */
export const REFRESH_COOKIE_MAX_AGE_LIMIT_SECONDS = 400 * 24 * 60 * 60;

export function formatRefreshCookieUpdate(update: RefreshCookieUpdate): string {
  return JSON.stringify(update);
}

/** The update an answer of the auth service asks for, or null for none (or anything malformed). */
export function parseRefreshCookieUpdate(value: string | null | undefined): RefreshCookieUpdate | null {
  if (!value) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { action, token, maxAgeSeconds } = parsed as Record<string, unknown>;
  if (action === 'clear') return { action };
  if (action !== 'store' || typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return null;
  if (typeof maxAgeSeconds !== 'number' || !Number.isInteger(maxAgeSeconds) || maxAgeSeconds < 1 || maxAgeSeconds > REFRESH_COOKIE_MAX_AGE_LIMIT_SECONDS) return null;
  return { action, token, maxAgeSeconds };
}
