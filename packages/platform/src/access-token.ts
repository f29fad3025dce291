import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { jsonReply, type HttpReply } from './http-service.js';
import { KeySetUnavailable, SIGNING_ALGORITHM } from './keys.js';
import { SERVICE_CLIENT_CLAIM, SERVICE_CLIENT_ID, isServiceRole } from './service-identity.js';
import { VerifiedTokenCache } from './verified-cache.js';
import type { Viewer } from './viewer.js';

/** RFC 9068 media type, so an ID token or a router token can never pass as an access token. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
const MAX_TOKEN_LENGTH = 4096;
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
    try {
      const { payload } = await jwtVerify(token, options.keys, {
        algorithms: [SIGNING_ALGORITHM],
        issuer: options.issuer,
        audience: options.audience,
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ['sub', 'sid', 'jti', 'iat', 'exp'],
        clockTolerance: 5,
      });
      const { sub, sid, jti, roles, exp, auth_time: authTime, amr, [SERVICE_CLIENT_CLAIM]: clientId } = payload;
      if (
        typeof sub !== 'string' ||
        !UUID.test(sub) ||
        typeof sid !== 'string' ||
        !UUID.test(sid) ||
        typeof jti !== 'string' ||
        !Array.isArray(roles) ||
        !roles.every((role) => typeof role === 'string') ||
        (authTime !== undefined && typeof authTime !== 'number') ||
        (amr !== undefined && (!Array.isArray(amr) || !amr.every((method) => typeof method === 'string')))
      ) {
        return { ok: false, reason: 'invalid' };
      }
      // A service identity holds service roles only, whoever signed it: never a person's role.
      if (clientId !== undefined && (typeof clientId !== 'string' || !SERVICE_CLIENT_ID.test(clientId) || !roles.every(isServiceRole))) {
        return { ok: false, reason: 'invalid' };
      }
      return {
        ok: true,
        token: {
          viewer: {
            userId: sub,
            sessionId: sid,
            roles: roles as string[],
            ...(clientId === undefined ? {} : { clientId }),
            ...(authTime === undefined ? {} : { authTime }),
            ...(amr === undefined ? {} : { amr: amr as string[] }),
          },
          tokenId: jti,
          expiresAt: new Date((exp ?? 0) * 1000),
        },
      };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
      if (error instanceof KeySetUnavailable) return { ok: false, reason: 'unavailable' };
      if (error instanceof errors.JOSEError || error instanceof TypeError) return { ok: false, reason: 'invalid' };
      throw error;
    }
  }
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
