import { ConfigError, readOptionalString } from './config.js';
import type { Logger } from './logger.js';
import { SERVICE_CLIENT_ID } from './service-identity.js';

type Env = Record<string, string | undefined>;

/** The service operation (schema/service-operations/auth.graphql) that exchanges client credentials for a token. */
export const ISSUE_SERVICE_TOKEN_OPERATION = 'IssueServiceToken';

/** Refresh this long before a token expires, so no call leaves with a token about to run out. */
const REFRESH_BEFORE_MS = 60_000;
/** A token still valid this long is used while a refresh fails. */
const STILL_USABLE_MS = 5_000;

/** The client credentials a calling service is configured with (`SERVICE_CLIENT_ID`, `SERVICE_CLIENT_SECRET`). */
export interface ServiceCredentials {
  clientId: string;
  clientSecret: string;
}

/** Both variables or neither: a service that calls others with a service identity (cart, orders) needs both. */
export function readServiceCredentials(env: Env = process.env): ServiceCredentials | undefined {
  const clientId = readOptionalString(env, 'SERVICE_CLIENT_ID');
  const clientSecret = readOptionalString(env, 'SERVICE_CLIENT_SECRET');
  if (clientId === undefined && clientSecret === undefined) return undefined;
  if (clientId === undefined || clientSecret === undefined) throw new ConfigError('SERVICE_CLIENT_ID and SERVICE_CLIENT_SECRET must be set together');
  if (!SERVICE_CLIENT_ID.test(clientId)) throw new ConfigError(`SERVICE_CLIENT_ID must match ${SERVICE_CLIENT_ID.source}, got "${clientId}"`);
  return { clientId, clientSecret };
}

/** Why no token could be had: the credentials were refused, the auth service is rate limiting, or the call failed. */
export class ServiceTokenError extends Error {
  override name = 'ServiceTokenError';

  constructor(
    readonly code: 'INVALID_CLIENT_CREDENTIALS' | 'RATE_LIMITED' | 'FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A service's access token, as many times as it is asked for; `forget` drops one the graph refused (401). */
export interface ServiceTokenSource {
  (): Promise<string>;
  forget(token: string): void;
}

export interface ServiceTokenSourceOptions extends ServiceCredentials {
  /** Where the router listens; read at each request, because in one process the router starts last. */
  routerUrl: () => string;
  /** The persisted query list (@meridian/schema's `loadPersistedQueryManifest()`): the operation is sent exactly as listed. */
  manifest: { operations: readonly { name: string; body: string }[] };
  log: Logger;
  /** Seam for unit tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  /** Milliseconds since the epoch; `Date.now` otherwise. */
  now?: () => number;
  timeoutMs?: number;
}

interface Held {
  token: string;
  /** By this process's clock: the answer's `expiresIn` counted from when the request left, so clock skew cannot stretch it. */
  expiresAtMs: number;
  refreshAtMs: number;
}

type IssueAnswer = {
  __typename?: string;
  accessToken?: string;
  expiresIn?: number;
  retryAfterSeconds?: number;
};

/**
 * The access token of a service that calls others through the router with a service identity (OAuth
 * 2.0 client credentials in spirit, RFC 6749 4.4): obtained from the auth service through the router
 * with `IssueServiceToken`, kept until about a minute before it expires, then renewed. Concurrent
 * callers share one request; a failed renewal keeps using the current token while it lasts; after
 * `RateLimited` no request is sent until the wait is over. The secret goes into the request body and
 * nowhere else: never into a log line or an error.
 */
export function createServiceTokenSource(options: ServiceTokenSourceOptions): ServiceTokenSource {
  const query = options.manifest.operations.find((operation) => operation.name === ISSUE_SERVICE_TOKEN_OPERATION)?.body;
  if (query === undefined) throw new Error(`${ISSUE_SERVICE_TOKEN_OPERATION} is not in the persisted query list`);
  const send = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const { clientId } = options;
  let held: Held | null = null;
  let inFlight: Promise<Held> | null = null;
  let retryNotBeforeMs = 0;

  async function request(): Promise<Held> {
    const sentAt = now();
    let status: number;
    let answer: IssueAnswer | undefined;
    let code: unknown;
    try {
      const response = await send(options.routerUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, operationName: ISSUE_SERVICE_TOKEN_OPERATION, variables: { clientId, clientSecret: options.clientSecret } }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
      status = response.status;
      const body = (await response.json().catch(() => ({}))) as { data?: { issueServiceToken?: IssueAnswer } | null; errors?: { extensions?: { code?: unknown } }[] };
      answer = body.data?.issueServiceToken;
      code = body.errors?.[0]?.extensions?.code;
    } catch (error) {
      throw new ServiceTokenError('FAILED', `no service token for ${clientId}: the router could not be reached`, { cause: error });
    }
    switch (answer?.__typename) {
      case 'ServiceToken': {
        const { accessToken, expiresIn } = answer;
        if (typeof accessToken !== 'string' || typeof expiresIn !== 'number' || expiresIn <= 0) break;
        const lifetimeMs = expiresIn * 1000;
        // About a minute early; half the lifetime early for tokens shorter than two minutes.
        return { token: accessToken, expiresAtMs: sentAt + lifetimeMs, refreshAtMs: sentAt + lifetimeMs - Math.min(REFRESH_BEFORE_MS, lifetimeMs / 2) };
      }
      case 'InvalidClientCredentials':
        throw new ServiceTokenError('INVALID_CLIENT_CREDENTIALS', `the auth service refused the credentials of service client ${clientId} (SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET)`);
      case 'RateLimited': {
        const waitSeconds = Math.max(1, answer.retryAfterSeconds ?? 1);
        retryNotBeforeMs = now() + waitSeconds * 1000;
        throw new ServiceTokenError('RATE_LIMITED', `the auth service is rate limiting service client ${clientId}; retrying after ${waitSeconds} s`);
      }
    }
    throw new ServiceTokenError('FAILED', `no service token for ${clientId}: ${ISSUE_SERVICE_TOKEN_OPERATION} answered ${status} ${String(code ?? answer?.__typename ?? 'without a token')}`);
  }

  function renew(): Promise<Held> {
    inFlight ??= request()
      .then((fresh) => (held = fresh))
      .finally(() => (inFlight = null));
    return inFlight;
  }

  const source = async (): Promise<string> => {
    const at = now();
    if (held && at < held.refreshAtMs) return held.token;
    const current = held;
    const usable = current !== null && at < current.expiresAtMs - STILL_USABLE_MS;
    try {
      if (at < retryNotBeforeMs) throw new ServiceTokenError('RATE_LIMITED', `the auth service is rate limiting service client ${clientId}`);
      return (await renew()).token;
    } catch (error) {
      if (current === null || !usable) throw error;
      options.log.warn({ err: error, clientId }, 'the service token could not be renewed; the current one is used while it lasts');
      return current.token;
    }
  };
  source.forget = (token: string) => {
    if (held?.token === token) held = null;
  };
  return source;
}
