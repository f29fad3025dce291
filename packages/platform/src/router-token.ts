import { createHash } from 'node:crypto';
import { viewerClaims, viewerFromClaims, type VerifiedAccessToken } from './access-token.js';
import { createHmacJwsSigner, createJwsSigner, hasAudience, verifyEdDsaOrHs256Jws, withinLifetime, type JwsSigner } from './jws.js';
import type { SigningKey } from './keys.js';
import type { RouterVerificationKeys } from './router-keys.js';
import { deriveRouterMacKey, type RouterMacSecret } from './router-mac.js';
import { VerifiedTokenCache } from './verified-cache.js';
import type { Viewer } from './viewer.js';

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

/** The caller as the router verified their access token at the edge. */
export interface VerifiedCaller {
  accessToken: string;
  verified: VerifiedAccessToken;
}

export interface RouterCall {
  subgraph: string;
  /** The verified caller, or undefined for an anonymous call (and for the router's own calls). */
  caller: VerifiedCaller | undefined;
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

export type RouterTokenSigner = (call: RouterCall) => string;

/**
 * With a MAC secret, MACs each token with the key derived for its subgraph (HS256, router-mac.ts);
 * without one, signs with Node's Ed25519 (jws.ts). The access token is verified once, at the edge:
 * its claims (`sub`, `sid`, `roles`, `client_id`, `auth_time`, `amr`) and expiry (`aexp`) travel in
 * the router token, bound to the token itself by `ath`, and a subgraph reads the caller from there.
 */
export function createRouterTokenSigner(key: SigningKey | undefined, options: { mac?: RouterMacSecret; cacheSize?: number } = {}): RouterTokenSigner {
  const signed = new VerifiedTokenCache<string>(options.cacheSize ?? 10_000);
  const { mac } = options;
  if (!key && !mac) throw new Error('router tokens need a signing key or a MAC secret');
  const edSigner = key ? createJwsSigner(key.kid, key.privateKey) : undefined;
  const macSigners = new Map<string, JwsSigner>();
  const signerFor = (subgraph: string): JwsSigner => {
    if (!mac) return edSigner!;
    let signer = macSigners.get(subgraph);
    if (!signer) {
      signer = createHmacJwsSigner(mac.kid, deriveRouterMacKey(mac.secret, subgraph));
      macSigners.set(subgraph, signer);
    }
    return signer;
  };
  return (call) => {
    const ath = accessTokenHash(call.caller?.accessToken);
    const rch = refreshCookieHash(call.refreshCookie);
    const loc = call.localization?.locale ?? null;
    const cur = call.localization?.currency ?? null;
    const cacheKey = `${call.subgraph}\n${ath}\n${call.client.userAgent ?? ''}\n${call.client.ip ?? ''}\n${loc ?? ''}\n${cur ?? ''}\n${rch ?? ''}`;
    const known = signed.get(cacheKey);
    if (known) return known;
    const issuedAt = Math.floor(Date.now() / 1000);
    const verified = call.caller?.verified;
    const token = signerFor(call.subgraph).sign(
      { typ: ROUTER_TOKEN_TYPE },
      {
        iss: ROUTER_TOKEN_ISSUER,
        aud: call.subgraph,
        iat: issuedAt,
        exp: issuedAt + TTL_SECONDS,
        ath,
        ua: call.client.userAgent,
        ip: call.client.ip,
        loc,
        cur,
        ...(rch ? { rch } : {}),
        ...(verified ? { ...viewerClaims(verified.viewer), aexp: Math.floor(verified.expiresAt.getTime() / 1000) } : {}),
      },
    );
    signed.set(cacheKey, token, Date.now() + REUSE_MS);
    return token;
  };
}

export type RouterTokenCheck =
  | {
      ok: true;
      /** The caller the router verified, when the call carries an access token. */
      viewer: Viewer | null;
      client: ClientInfo;
      localization: RequestLanguage | null;
      /** The relayed refresh cookie, only when the token is bound to it; null otherwise. */
      refreshCookie: string | null;
    }
  /** `expired`: the token is good, the access token it vouches for has expired since (a reused router token). */
  | { ok: false; reason: 'invalid' | 'expired' };

/** Checks a router token, its binding to the access token and to the relayed refresh cookie (each as sent with the call). */
export type RouterTokenVerifier = (token: string | undefined, accessToken: string | undefined, refreshCookie?: string) => Promise<RouterTokenCheck>;

interface VerifiedRouterToken {
  ath: string;
  rch: string | null;
  viewer: Viewer | null;
  accessTokenExpiresAtMs: number | null;
  client: ClientInfo;
  localization: RequestLanguage | null;
}

const CLOCK_TOLERANCE_SECONDS = 5;

/** Accepts tokens signed with one of the router's keys, or MACed with one of this subgraph's MAC keys. */
export function createRouterTokenVerifier(options: { keys: RouterVerificationKeys; subgraph: string; cacheSize?: number }): RouterTokenVerifier {
  const cache = new VerifiedTokenCache<VerifiedRouterToken>(options.cacheSize ?? 10_000);
  const macKeys = options.keys.macKeysFor(options.subgraph);

  async function verify(token: string): Promise<(VerifiedRouterToken & { expiresAtMs: number }) | null> {
    const signed = await verifyEdDsaOrHs256Jws(token, options.keys.signatures, macKeys, ROUTER_TOKEN_TYPE);
    if (!signed.ok) return null;
    const { payload } = signed;
    if (payload.iss !== ROUTER_TOKEN_ISSUER || !hasAudience(payload, options.subgraph) || !withinLifetime(payload, CLOCK_TOLERANCE_SECONDS, TTL_SECONDS)) return null;
    const { ath, ua, ip, exp, loc, cur, rch, aexp } = payload;
    if (typeof ath !== 'string' || typeof exp !== 'number') return null;
    let viewer: Viewer | null = null;
    if (ath !== NO_ACCESS_TOKEN) {
      viewer = viewerFromClaims(payload);
      if (!viewer || typeof aexp !== 'number') return null;
    }
    return {
      ath,
      rch: typeof rch === 'string' ? rch : null,
      viewer,
      accessTokenExpiresAtMs: typeof aexp === 'number' ? aexp * 1000 : null,
      client: { userAgent: typeof ua === 'string' ? ua : null, ip: typeof ip === 'string' ? ip : null },
      localization: typeof loc === 'string' && typeof cur === 'string' ? { locale: loc, currency: cur } : null,
      expiresAtMs: exp * 1000,
    };
  }

  return async (token, accessToken, refreshCookie) => {
    if (token === undefined || token.length > 4096) return { ok: false, reason: 'invalid' };
    let verified = cache.get(token);
    if (!verified) {
      const fresh = await verify(token);
      if (!fresh) return { ok: false, reason: 'invalid' };
      const { expiresAtMs, ...rest } = fresh;
      verified = rest;
      cache.set(token, verified, expiresAtMs);
    }
    if (verified.ath !== accessTokenHash(accessToken) || verified.rch !== refreshCookieHash(refreshCookie)) return { ok: false, reason: 'invalid' };
    if (verified.accessTokenExpiresAtMs !== null && verified.accessTokenExpiresAtMs + CLOCK_TOLERANCE_SECONDS * 1000 <= Date.now()) {
      return { ok: false, reason: 'expired' };
    }
    return { ok: true, viewer: verified.viewer, client: verified.client, localization: verified.localization, refreshCookie: refreshCookie ?? null };
  };
}
