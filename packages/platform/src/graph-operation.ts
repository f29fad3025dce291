export interface GraphAnswer {
  status: number;
  data: Record<string, unknown> | null;
  errors: { message: string; extensions?: { code?: string } }[];
}

/** Sends one listed operation through the router, with a bearer token or none. */
export type SendOperation = (variables: Record<string, unknown>, token?: string) => Promise<GraphAnswer>;

/**
 * A service's calls to the rest of the graph go through the router, as every cross-service read in Meridian
 * does, with service operations of the persisted query list (schema/service-operations/<service>.graphql)
 * sent exactly as listed. A name missing from the list stops the service at start.
 */
export function createGraphOperation(
  options: { routerUrl: () => string; manifest: { operations: readonly { name: string; body: string }[] }; timeoutMs?: number },
  name: string,
): SendOperation {
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

/**
 * Sends an operation with the service's own token (the `checkout` role); a token the graph refused (401) is
 * dropped so that the next call gets a fresh one.
 */
export function withServiceToken(send: SendOperation, token: () => Promise<string>, forget: (token: string) => void): (variables: Record<string, unknown>) => Promise<GraphAnswer> {
  return async (variables) => {
    const bearer = await token();
    const answer = await send(variables, bearer);
    if (answer.status === 401) forget(bearer);
    return answer;
  };
}
