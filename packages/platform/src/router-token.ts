import { createHash } from 'node:crypto';
import { SignJWT, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { SIGNING_ALGORITHM, type SigningKey } from './keys.js';
import { VerifiedTokenCache } from './verified-cache.js';

/**
 * A short-lived token the router signs for subgraph calls. It proves the call came through the
 * router (subgraphs refuse anything else, including `_entities` and `_service`), names the subgraph
 * it is for, carries what the router learned about the client, and is bound to the caller's access
 * token by its hash, so it cannot be replayed with another user's token (and, on a call that relays
 * the browser's refresh cookie to the auth service, to that cookie). The router reuses a token for the
 * same subgraph, caller and client for half its lifetime.
 */
export const ROUTER_TOKEN_HEADER = 'x-meridian-router-token';
export const REQUEST_ID_HEADER = 'x-request-id';
export const ROUTER_TOKEN_ISSUER = 'urn:meridian:router';
/** The auth service's list of ended sessions, read by the router's denylist with a router token. */
export const REVOKED_SESSIONS_PATH = '/internal/revoked-sessions';
const ROUTER_TOKEN_TYPE = 'meridian-router+jwt';
const TTL_SECONDS = 60;
const REUSE_MS = (TTL_SECONDS / 2) * 1000;
const NO_ACCESS_TOKEN = '-';

function accessTokenHash(accessToken: string | undefined): string {
  return accessToken === undefined ? NO_ACCESS_TOKEN : createHash('sha256').update(accessToken).digest('base64url');
}

function refreshCookieHash(refreshCookie: string | undefined): string | null {
  return refreshCookie === undefined ? null : createHash('sha256').update(refreshCookie).digest('base64url');
}

/** What the router learned about the client from the connection; subgraphs trust it only inside a router token. */
export interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}

/** The request's language and currency, resolved once by the router (README "Localization"). */
export interface RequestLanguage {
  locale: string;
  currency: string;
}

export interface RouterCall {
  subgraph: string;
  accessToken: string | undefined;
  client: ClientInfo;
  /** Carried inside the token, so a client cannot name another locale or currency to one subgraph than to the rest. */
  localization?: RequestLanguage;
  /**
   * The browser's refresh cookie, relayed to the auth service only (REFRESH_COOKIE_HEADER). The token
   * carries its SHA-256 (`rch`), never the value: router tokens are cached and reused, and stay free of
   * secrets; the hash binds the header to this one token, so it cannot be moved to another call.
   */
  refreshCookie?: string;
}

export type RouterTokenSigner = (call: RouterCall) => Promise<string>;

export function createRouterTokenSigner(key: SigningKey, cacheSize = 10_000): RouterTokenSigner {
  const signed = new VerifiedTokenCache<Promise<string>>(cacheSize);
  return (call) => {
    const ath = accessTokenHash(call.accessToken);
    const rch = refreshCookieHash(call.refreshCookie);
    const loc = call.localization?.locale ?? null;
    const cur = call.localization?.currency ?? null;
    const cacheKey = `${call.subgraph}\n${ath}\n${call.client.userAgent ?? ''}\n${call.client.ip ?? ''}\n${loc ?? ''}\n${cur ?? ''}\n${rch ?? ''}`;
    const known = signed.get(cacheKey);
    if (known) return known;
    const token = new SignJWT({ ath, ua: call.client.userAgent, ip: call.client.ip, loc, cur, ...(rch ? { rch } : {}) })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: ROUTER_TOKEN_TYPE })
      .setIssuer(ROUTER_TOKEN_ISSUER)
      .setAudience(call.subgraph)
      .setIssuedAt()
      .setExpirationTime(`${TTL_SECONDS}s`)
      .sign(key.privateKey);
    signed.set(cacheKey, token, Date.now() + REUSE_MS);
    return token;
  };
}

export type RouterTokenCheck =
  | {
      ok: true;
      client: ClientInfo;
      localization: RequestLanguage | null;
      /** The relayed refresh cookie, only when the token is bound to it; null otherwise. */
      refreshCookie: string | null;
    }
  | { ok: false };

/** Checks a router token, its binding to the access token and to the relayed refresh cookie (each as sent with the call). */
export type RouterTokenVerifier = (token: string | undefined, accessToken: string | undefined, refreshCookie?: string) => Promise<RouterTokenCheck>;

interface VerifiedRouterToken {
  ath: string;
  rch: string | null;
  client: ClientInfo;
  localization: RequestLanguage | null;
}

export function createRouterTokenVerifier(options: { keys: JWTVerifyGetKey; subgraph: string; cacheSize?: number }): RouterTokenVerifier {
  const cache = new VerifiedTokenCache<VerifiedRouterToken>(options.cacheSize ?? 10_000);

  async function verify(token: string): Promise<(VerifiedRouterToken & { expiresAtMs: number }) | null> {
    try {
      const { payload } = await jwtVerify(token, options.keys, {
        algorithms: [SIGNING_ALGORITHM],
        issuer: ROUTER_TOKEN_ISSUER,
        audience: options.subgraph,
        typ: ROUTER_TOKEN_TYPE,
        requiredClaims: ['iat', 'exp', 'ath'],
        maxTokenAge: `${TTL_SECONDS}s`,
        clockTolerance: 5,
      });
      const { ath, ua, ip, exp, loc, cur, rch } = payload;
      if (typeof ath !== 'string' || typeof exp !== 'number') return null;
      return {
        ath,
        rch: typeof rch === 'string' ? rch : null,
        client: { userAgent: typeof ua === 'string' ? ua : null, ip: typeof ip === 'string' ? ip : null },
        localization: typeof loc === 'string' && typeof cur === 'string' ? { locale: loc, currency: cur } : null,
        expiresAtMs: exp * 1000,
      };
    } catch (error) {
      if (error instanceof errors.JOSEError || error instanceof TypeError) return null;
      throw error;
    }
  }

  return async (token, accessToken, refreshCookie) => {
    if (token === undefined || token.length > 2048) return { ok: false };
    let verified = cache.get(token);
    if (!verified) {
      const fresh = await verify(token);
      if (!fresh) return { ok: false };
      verified = { ath: fresh.ath, rch: fresh.rch, client: fresh.client, localization: fresh.localization };
      cache.set(token, verified, fresh.expiresAtMs);
    }
    if (verified.ath !== accessTokenHash(accessToken) || verified.rch !== refreshCookieHash(refreshCookie)) return { ok: false };
    return { ok: true, client: verified.client, localization: verified.localization, refreshCookie: refreshCookie ?? null };
  };
}
