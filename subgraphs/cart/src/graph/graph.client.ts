import type { PersistedQueryManifest } from '@meridian/schema';

export interface GraphAnswer {
  status: number;
  data: Record<string, unknown> | null;
  errors: { message: string; extensions?: { code?: string } }[];
}

/** Sends one listed operation through the router, with a bearer token or none. */
export type SendOperation = (variables: Record<string, unknown>, token?: string) => Promise<GraphAnswer>;

/**
 * The cart's calls to the rest of the graph go through the router, as every cross-service read in
 * Meridian does, with service operations of the persisted query list (schema/service-operations/cart.graphql)
 * sent exactly as listed. A name missing from the list stops the service at start.
 */
export function createGraphOperation(options: { routerUrl: () => string; manifest: PersistedQueryManifest; timeoutMs?: number }, name: string): SendOperation {
  const query = options.manifest.operations.find((operation) => operation.name === name)?.body;
  if (query === undefined) throw new Error(`${name} is not in the persisted query list`);
  return async (variables, token) => {
    const response = await fetch(options.routerUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, operationName: name, variables }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 3_000),
    });
    const body = (await response.json().catch(() => ({}))) as { data?: Record<string, unknown> | null; errors?: GraphAnswer['errors'] };
    return { status: response.status, data: body.data ?? null, errors: body.errors ?? [] };
  };
}

export class GraphCallError extends Error {
  override name = 'GraphCallError';
}

/** The answer's data, or an error naming the operation, the status and the first error's code. */
export function dataOf(name: string, answer: GraphAnswer): Record<string, unknown> {
  if (answer.data && answer.errors.length === 0) return answer.data;
  throw new GraphCallError(`${name} answered ${answer.status} ${answer.errors.map((error) => error.extensions?.code ?? error.message).join(', ') || 'without data'}`);
}
