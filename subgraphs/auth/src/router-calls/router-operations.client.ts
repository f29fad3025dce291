import { randomUUID } from 'node:crypto';
import type { PersistedQueryManifest } from '@meridian/schema';
import type { AccessTokenIssuer } from '../sessions/access-token.issuer.js';

export type RouterOperations = ReturnType<typeof createRouterOperations>;

const CALL_TOKEN_TTL_SECONDS = 60;

/**
 * Calls the graph through the router as a user, the way any client would, for work the outbox delivers
 * to other services (the profile given at sign-up, a deleted account's erasure). Each call carries an
 * access token of its own, valid one minute and outside any session, with the roles the call needs.
 * The operations are the service operations of the persisted query list (schema/service-operations),
 * sent exactly as listed, so a router that runs only listed operations (PERSISTED_QUERIES=safelist,
 * the production default) runs them too.
 */
export function createRouterOperations(options: { routerUrl: () => string; issuer: AccessTokenIssuer; manifest: PersistedQueryManifest; timeoutMs?: number }) {
  const bodies = new Map(options.manifest.operations.map((operation) => [operation.name, operation.body]));

  return {
    /** The operation's `data`; anything else (an error, no data, a refusal) throws, so the outbox retries. */
    async run(operationName: string, caller: { userId: string; roles: string[] }, variables: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
      const query = bodies.get(operationName);
      if (query === undefined) throw new Error(`${operationName} is not in the persisted query list`);
      const { token } = await options.issuer.issue({ userId: caller.userId, sessionId: randomUUID(), roles: caller.roles }, CALL_TOKEN_TTL_SECONDS);
      const response = await fetch(options.routerUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, operationName, variables }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
      const result = (await response.json().catch(() => ({}))) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: unknown } }[] };
      if (!response.ok || !result.data || result.errors?.length) {
        throw new Error(`${operationName} answered ${response.status} ${String(result.errors?.[0]?.extensions?.code ?? 'without data')}`);
      }
      return result.data;
    },
  };
}
