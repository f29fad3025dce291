import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { ACCESS_TOKEN_TYPE, SERVICE_CLIENT_CLAIM, SIGNING_ALGORITHM, type SigningKey } from '@meridian/platform';

export interface AccessTokenIssuer {
  /**
   * `clientId` only for a service identity (service-clients/): it becomes the `client_id` claim.
   * `authTime` (seconds) and `amr` only for a person's session: the `auth_time` and `amr` claims (OIDC Core 2, RFC 8176).
   */
  issue(
    subject: { userId: string; sessionId: string; roles: string[]; clientId?: string; authTime?: number; amr?: readonly string[] },
    ttlSeconds?: number,
  ): Promise<{ token: string; expiresAt: Date }>;
}

/** Signs access tokens with the newest key; older keys stay in the JWKS to verify tokens they signed. */
export function createAccessTokenIssuer(options: {
  keys: SigningKey[];
  issuer: string;
  audience: string;
  ttlSeconds: number;
}): AccessTokenIssuer {
  const [signingKey] = options.keys;
  if (!signingKey) throw new Error('at least one signing key is required');
  return {
    async issue({ userId, sessionId, roles, clientId, authTime, amr }, ttlSeconds = options.ttlSeconds) {
      const issuedAt = Math.floor(Date.now() / 1000);
      const expiresAt = issuedAt + ttlSeconds;
      const token = await new SignJWT({
        sid: sessionId,
        roles,
        ...(clientId === undefined ? {} : { [SERVICE_CLIENT_CLAIM]: clientId }),
        ...(authTime === undefined ? {} : { auth_time: authTime }),
        ...(amr === undefined ? {} : { amr }),
      })
        .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: signingKey.kid, typ: ACCESS_TOKEN_TYPE })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(userId)
        .setJti(randomUUID())
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(signingKey.privateKey);
      return { token, expiresAt: new Date(expiresAt * 1000) };
    },
  };
}
