import { createHash } from 'node:crypto';
import { SignJWT, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { SIGNING_ALGORITHM, type SigningKey } from './keys.js';
import { VerifiedTokenCache } from './verified-cache.js';

/**
 * A short-lived token the router signs for subgraph calls. It proves the call came through the
 * router (subgraphs refuse anything else, including `_entities` and `_service`), names the subgraph
 * it is for, carries what the router learned about the client, and is bound to the caller's access
 * token by its hash, so it cannot be replayed with another user's token. The router reuses a token
 * for the same subgraph, caller and client for half its lifetime.
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

/** What the router learned about the client from the connection; subgraphs trust it only inside a router token. */
export interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}

export interface RouterCall {
  subgraph: string;
  accessToken: string | undefined;
  client: ClientInfo;
}

export type RouterTokenSigner = (call: RouterCall) => Promise<string>;

export function createRouterTokenSigner(key: SigningKey, cacheSize = 10_000): RouterTokenSigner {
  const signed = new VerifiedTokenCache<Promise<string>>(cacheSize);
  return (call) => {
    const ath = accessTokenHash(call.accessToken);
    const cacheKey = `${call.subgraph}\n${ath}\n${call.client.userAgent ?? ''}\n${call.client.ip ?? ''}`;
    const known = signed.get(cacheKey);
    if (known) return known;
    const token = new SignJWT({ ath, ua: call.client.userAgent, ip: call.client.ip })
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

export type RouterTokenCheck = { ok: true; client: ClientInfo } | { ok: false };

export type RouterTokenVerifier = (token: string | undefined, accessToken: string | undefined) => Promise<RouterTokenCheck>;

interface VerifiedRouterToken {
  ath: string;
  client: ClientInfo;
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
      const { ath, ua, ip, exp } = payload;
      if (typeof ath !== 'string' || typeof exp !== 'number') return null;
      return { ath, client: { userAgent: typeof ua === 'string' ? ua : null, ip: typeof ip === 'string' ? ip : null }, expiresAtMs: exp * 1000 };
    } catch (error) {
      if (error instanceof errors.JOSEError || error instanceof TypeError) return null;
      throw error;
    }
  }

  return async (token, accessToken) => {
    if (token === undefined || token.length > 2048) return { ok: false };
    let verified = cache.get(token);
    if (!verified) {
      const fresh = await verify(token);
      if (!fresh) return { ok: false };
      verified = { ath: fresh.ath, client: fresh.client };
      cache.set(token, verified, fresh.expiresAtMs);
    }
    return verified.ath === accessTokenHash(accessToken) ? { ok: true, client: verified.client } : { ok: false };
  };
}
