import { createHash } from 'node:crypto';
import { SignJWT, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { SIGNING_ALGORITHM, type SigningKey } from './keys.js';

/**
 * A short-lived token the router signs for every subgraph call. It proves the call came through the
 * router (subgraphs refuse anything else, including `_entities` and `_service`), names the subgraph
 * it is for, carries the request id, and is bound to the caller's access token by its hash, so it
 * cannot be replayed with another user's token.
 */
export const ROUTER_TOKEN_HEADER = 'x-meridian-router-token';
export const ROUTER_TOKEN_ISSUER = 'urn:meridian:router';
/** The auth service's list of ended sessions, read by the router's denylist with a router token. */
export const REVOKED_SESSIONS_PATH = '/internal/revoked-sessions';
const ROUTER_TOKEN_TYPE = 'meridian-router+jwt';
const TTL_SECONDS = 60;
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
  requestId: string;
  accessToken: string | undefined;
  client: ClientInfo;
}

export type RouterTokenSigner = (call: RouterCall) => Promise<string>;

export function createRouterTokenSigner(key: SigningKey): RouterTokenSigner {
  return (call) =>
    new SignJWT({ rid: call.requestId, ath: accessTokenHash(call.accessToken), ua: call.client.userAgent, ip: call.client.ip })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: ROUTER_TOKEN_TYPE })
      .setIssuer(ROUTER_TOKEN_ISSUER)
      .setAudience(call.subgraph)
      .setIssuedAt()
      .setExpirationTime(`${TTL_SECONDS}s`)
      .sign(key.privateKey);
}

export type RouterTokenCheck = { ok: true; requestId: string; client: ClientInfo } | { ok: false };

export type RouterTokenVerifier = (token: string | undefined, accessToken: string | undefined) => Promise<RouterTokenCheck>;

export function createRouterTokenVerifier(options: { keys: JWTVerifyGetKey; subgraph: string }): RouterTokenVerifier {
  return async (token, accessToken) => {
    if (token === undefined || token.length > 2048) return { ok: false };
    try {
      const { payload } = await jwtVerify(token, options.keys, {
        algorithms: [SIGNING_ALGORITHM],
        issuer: ROUTER_TOKEN_ISSUER,
        audience: options.subgraph,
        typ: ROUTER_TOKEN_TYPE,
        requiredClaims: ['iat', 'exp', 'rid', 'ath'],
        maxTokenAge: `${TTL_SECONDS}s`,
        clockTolerance: 5,
      });
      if (payload.ath !== accessTokenHash(accessToken) || typeof payload.rid !== 'string') return { ok: false };
      const { ua, ip } = payload;
      return {
        ok: true,
        requestId: payload.rid,
        client: { userAgent: typeof ua === 'string' ? ua : null, ip: typeof ip === 'string' ? ip : null },
      };
    } catch (error) {
      if (error instanceof errors.JOSEError || error instanceof TypeError) return { ok: false };
      throw error;
    }
  };
}
