import type { JWTVerifyGetKey } from 'jose';
import { jsonReply, type HttpReply } from './http-service.js';
import { hasAudience, verifyEdDsaJws, withinLifetime, type JwsCheck } from './jws.js';
import { KeySetUnavailable } from './keys.js';
import { SERVICE_CLIENT_CLAIM, SERVICE_CLIENT_ID, isServiceRole } from './service-identity.js';
import { VerifiedTokenCache } from './verified-cache.js';
import type { Viewer } from './viewer.js';

/** RFC 9068 media type, so an ID token or a router token can never pass as an access token. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
const MAX_TOKEN_LENGTH = 4096;
const CLOCK_TOLERANCE_SECONDS = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type BearerToken = { kind: 'none' } | { kind: 'token'; token: string } | { kind: 'malformed' };

export function parseBearer(header: string | undefined): BearerToken {
  if (header === undefined || header === '') return { kind: 'none' };
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header);
  if (!match?.[1] || match[1].length > MAX_TOKEN_LENGTH) return { kind: 'malformed' };
  return { kind: 'token', token: match[1] };
}

export interface VerifiedAccessToken {
  viewer: Viewer;
  tokenId: string;
  expiresAt: Date;
}

export type AccessTokenCheck = { ok: true; token: VerifiedAccessToken } | { ok: false; reason: 'expired' | 'invalid' | 'unavailable' };

export type AccessTokenVerifier = (token: string) => Promise<AccessTokenCheck>;

export function createAccessTokenVerifier(options: {
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  /** How many verified tokens to remember until they expire (0: verify every time). */
  cacheSize?: number;
}): AccessTokenVerifier {
  const cache = new VerifiedTokenCache<VerifiedAccessToken>(options.cacheSize ?? 10_000);
  return async (token) => {
    const known = cache.get(token);
    if (known) return { ok: true, token: known };
    const check = await verify(token);
    if (check.ok) cache.set(token, check.token, check.token.expiresAt.getTime());
    return check;
  };

  async function verify(token: string): Promise<AccessTokenCheck> {
    let signed: JwsCheck;
    try {
      signed = await verifyEdDsaJws(token, options.keys, ACCESS_TOKEN_TYPE);
    } catch (error) {
      if (error instanceof KeySetUnavailable) return { ok: false, reason: 'unavailable' };
      throw error;
    }
    if (!signed.ok) return { ok: false, reason: 'invalid' };
    const { payload } = signed;
    if (payload.iss !== options.issuer || !hasAudience(payload, options.audience) || typeof payload.jti !== 'string' || typeof payload.iat !== 'number') {
      return { ok: false, reason: 'invalid' };
    }
    if (typeof payload.exp !== 'number') return { ok: false, reason: 'invalid' };
    if (!withinLifetime(payload, CLOCK_TOLERANCE_SECONDS)) {
      return payload.exp + CLOCK_TOLERANCE_SECONDS <= Date.now() / 1000 ? { ok: false, reason: 'expired' } : { ok: false, reason: 'invalid' };
    }
    const viewer = viewerFromClaims(payload);
    if (!viewer) return { ok: false, reason: 'invalid' };
    return { ok: true, token: { viewer, tokenId: payload.jti, expiresAt: new Date(payload.exp * 1000) } };
  }
}

/**
 * The caller an access token's claims name (`sub`, `sid`, `roles`, and `client_id`, `auth_time`, `amr`
 * when present), or null when a claim is malformed. Router tokens carry the same claims, verified once
 * at the edge.
 */
export function viewerFromClaims(claims: Record<string, unknown>): Viewer | null {
  const { sub, sid, roles, auth_time: authTime, amr, [SERVICE_CLIENT_CLAIM]: clientId } = claims;
  if (
    typeof sub !== 'string' ||
    !UUID.test(sub) ||
    typeof sid !== 'string' ||
    !UUID.test(sid) ||
    !Array.isArray(roles) ||
    !roles.every((role) => typeof role === 'string') ||
    (authTime !== undefined && typeof authTime !== 'number') ||
    (amr !== undefined && (!Array.isArray(amr) || !amr.every((method) => typeof method === 'string')))
  ) {
    return null;
  }
  // A service identity holds service roles only, whoever signed it: never a person's role.
  if (clientId !== undefined && (typeof clientId !== 'string' || !SERVICE_CLIENT_ID.test(clientId) || !roles.every(isServiceRole))) return null;
  return {
    userId: sub,
    sessionId: sid,
    roles: roles as string[],
    ...(clientId === undefined ? {} : { clientId }),
    ...(authTime === undefined ? {} : { authTime }),
    ...(amr === undefined ? {} : { amr: amr as string[] }),
  };
}

/** The claims `viewerFromClaims` reads back. */
export function viewerClaims(viewer: Viewer): Record<string, unknown> {
  return {
    sub: viewer.userId,
    sid: viewer.sessionId,
    roles: viewer.roles,
    ...(viewer.clientId === undefined ? {} : { [SERVICE_CLIENT_CLAIM]: viewer.clientId }),
    ...(viewer.authTime === undefined ? {} : { auth_time: viewer.authTime }),
    ...(viewer.amr === undefined ? {} : { amr: viewer.amr }),
  };
}

const REJECTION_MESSAGES = {
  expired: 'The access token has expired',
  invalid: 'The access token is invalid',
  malformed: 'The Authorization header must be "Bearer <access token>"',
  ended: 'The session of this access token has ended; sign in again',
} as const;

/** The HTTP answer for a token that did not verify: 401 for a bad token, 503 when the keys cannot be fetched. */
export function rejectedTokenReply(reason: keyof typeof REJECTION_MESSAGES | 'unavailable'): HttpReply {
  if (reason === 'unavailable') {
    return jsonReply(
      503,
      { errors: [{ message: 'Access tokens cannot be checked right now; try again shortly', extensions: { code: 'SERVICE_UNAVAILABLE' } }] },
      [['retry-after', '5']],
    );
  }
  return jsonReply(401, { errors: [{ message: REJECTION_MESSAGES[reason], extensions: { code: 'UNAUTHENTICATED' } }] }, [
    ['www-authenticate', 'Bearer error="invalid_token"'],
  ]);
}
