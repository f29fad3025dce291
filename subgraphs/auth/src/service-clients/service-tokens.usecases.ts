import { randomUUID } from 'node:crypto';
import { rateLimited, type ClientInfo } from '@meridian/platform';
import type { AuditTrail } from '../audit/audit.repository.js';
import type { AuthDb } from '../db.js';
import type { RateLimits } from '../protection/rate-limits.js';
import type { AccessTokenIssuer } from '../sessions/access-token.issuer.js';
import { invalidClientCredentials } from './service-clients.errors.js';
import { authenticateClient, type ServiceClient } from './service-clients.rules.js';

/**
 * How long a service token lives. Short, because nothing can revoke it: it belongs to no session, so
 * no logout or session revocation touches it (a user's logout must never cut a service off). Removing a
 * client from SERVICE_CLIENTS stops new tokens; the last one issued expires within this.
 */
export const SERVICE_TOKEN_TTL_SECONDS = 300;

export interface ServiceToken {
  __typename: 'ServiceToken';
  accessToken: string;
  expiresAt: Date;
  expiresIn: number;
}

export type ServiceTokenOutcome = ServiceToken | ReturnType<typeof invalidClientCredentials> | ReturnType<typeof rateLimited>;

export type ServiceTokenUseCases = ReturnType<typeof createServiceTokenUseCases>;

/**
 * Client credentials for services (OAuth 2.0 client credentials in spirit, RFC 6749 4.4): a configured
 * client proves itself with its secret and gets an ordinary access token (same signer, issuer and
 * audience, so the router and every subgraph verify it unchanged) whose subject is the client's own,
 * with its roles and the `client_id` claim that marks it a service, which no user field accepts.
 */
export function createServiceTokenUseCases(deps: {
  db: AuthDb;
  clients: ReadonlyMap<string, ServiceClient>;
  issuer: AccessTokenIssuer;
  rateLimits: RateLimits;
  audit: AuditTrail;
}) {
  return {
    async issue(clientId: string, clientSecret: string, client: ClientInfo): Promise<ServiceTokenOutcome> {
      const known = deps.clients.get(clientId);
      // Counted per client address, and per client for known ids only, so made-up ids fill no counters.
      const rate = await deps.rateLimits.consume('service_token', { ip: client.ip, identifier: known?.id ?? null });
      if (!rate.ok) return rateLimited(rate.retryAfterSeconds);
      const authenticated = authenticateClient(deps.clients, clientId, clientSecret);
      if (!authenticated) {
        // The id presented is recorded only when it names a client: an unknown one may be a mistyped secret.
        const details = known ? { clientId: known.id, reason: 'wrong_secret' } : { clientId: null, reason: 'unknown_client' };
        await deps.audit.record(deps.db, client, { kind: 'service_token_refused', details });
        return invalidClientCredentials();
      }
      // A fresh session id names no session: the router's denylist never lists it, so nothing but expiry ends the token.
      const issued = await deps.issuer.issue(
        { userId: authenticated.subject, sessionId: randomUUID(), roles: authenticated.roles, clientId: authenticated.id },
        SERVICE_TOKEN_TTL_SECONDS,
      );
      await deps.audit.record(deps.db, client, { kind: 'service_token_issued', details: { clientId: authenticated.id, roles: authenticated.roles.join(',') } });
      return { __typename: 'ServiceToken', accessToken: issued.token, expiresAt: issued.expiresAt, expiresIn: SERVICE_TOKEN_TTL_SECONDS };
    },
  };
}
