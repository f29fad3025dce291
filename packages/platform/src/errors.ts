import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from './logger.js';

/**
 * Codes whose message is written for the client. Anything else is unexpected: it is logged with the
 * request id and the client sees only "Internal server error" and that id, so no SQL, constraint name
 * or stack trace can leak.
 */
const CLIENT_SAFE_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'SERVICE_UNAVAILABLE',
]);

export const INTERNAL_ERROR_MESSAGE = 'Internal server error';
export const SERVICE_UNAVAILABLE_MESSAGE = 'The service is briefly unavailable; retry the request';

/**
 * Socket errors, postgres.js connection codes, undici's (UND_ERR_SOCKET: a subgraph closed the connection
 * before answering, as one does when its shutdown deadline passes) and SQLSTATEs (class 08 connection
 * exception, 57P01–57P03 shutdown, 53300 too many connections) that mean a database or another service
 * dropped or refused the connection: nothing about the request was wrong, and sending it again may succeed.
 */
const CONNECTION_FAILURE_CODES = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/**
 * Work given up on before it could commit, which a retry may get done: the pool's own time limits
 * (@meridian/db's CONNECTION_ACQUIRE_TIMEOUT, TRANSACTION_TIMEOUT), SQLSTATE 57014 (a statement
 * cancelled by statement_timeout or by the pool) and 25P03 (a session ended by
 * idle_in_transaction_session_timeout); and SERVICE_STOPPING, work refused by a service shutting down.
 */
const GIVEN_UP_CODES = new Set(['CONNECTION_ACQUIRE_TIMEOUT', 'TRANSACTION_TIMEOUT', '57014', '25P03', 'SERVICE_STOPPING']);

const CLIENT_CLOSED_CODES = new Set(['CLIENT_CLOSED_REQUEST']);

function hasCode(error: unknown, codes: ReadonlySet<string>): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && codes.has(code)) return true;
  }
  return false;
}

/** Whether an error (or one it was caused by, e.g. through drizzle's DrizzleQueryError) is a lost or refused connection. */
export function isConnectionFailure(error: unknown): boolean {
  return hasCode(error, CONNECTION_FAILURE_CODES);
}

/** Whether an error (or its cause) is a database time limit or a shutdown that gave up on the work. */
export function isTimeoutOrShutdown(error: unknown): boolean {
  return hasCode(error, GIVEN_UP_CODES);
}

/** Whether the client should get a retryable SERVICE_UNAVAILABLE for this error rather than an internal error. */
export function isUnavailable(error: unknown): boolean {
  return isConnectionFailure(error) || isTimeoutOrShutdown(error);
}

/** Thrown for work a service refuses or abandons because it is shutting down; answered SERVICE_UNAVAILABLE. */
export class ServiceStoppingError extends Error {
  override name = 'ServiceStoppingError';
  readonly code = 'SERVICE_STOPPING';

  constructor(message = 'the service is shutting down') {
    super(message);
  }
}

/** The reason a request's work is abandoned when its client closed the connection before the answer (nginx's 499). */
export class ClientClosedRequestError extends Error {
  override name = 'ClientClosedRequestError';
  readonly code = 'CLIENT_CLOSED_REQUEST';

  constructor(message = 'the client closed the connection before its answer') {
    super(message);
  }
}

export function serviceUnavailableError(): GraphQLError {
  return new GraphQLError(SERVICE_UNAVAILABLE_MESSAGE, { extensions: { code: 'SERVICE_UNAVAILABLE' } });
}

export function unauthenticatedError(message = 'You must be signed in to do this'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } });
}

export function forbiddenError(message = 'You are not allowed to do this'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/** Arguments that make no sense together or are out of range (not an expected failure of the domain). */
export function badUserInputError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

function isClientSafe(error: GraphQLFormattedError): boolean {
  const code = error.extensions?.code;
  return typeof code === 'string' && CLIENT_SAFE_CODES.has(code);
}

// graphql-js names its token limit in the message; the limits stay undisclosed.
const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more th(?:an|at) \d+ tokens/;

// "Did you mean …?" (graphql-js) and graphql-armor's "[Suggestion hidden]?" both tell that a similar name exists.
const SUGGESTION = /\s*Did you mean[^?]*\?|\s*\[Suggestion hidden\]\??/g;

/** At the router: a subgraph answered the whole call 503 (see `unavailableStatusPlugin`). */
function answeredUnavailable(formatted: GraphQLFormattedError): boolean {
  const response = formatted.extensions?.response as { status?: unknown } | undefined;
  return response?.status === 503;
}

/**
 * formatError for every Apollo Server in Meridian: pass client-safe errors, mask the rest. In
 * production, messages also lose every suggestion of a schema name (the schema is not public there).
 */
export function createErrorMasker(options: { production: boolean }) {
  return function maskError(formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError {
    if (isUnavailable(unwrapResolverError(error)) || answeredUnavailable(formatted)) {
      return { message: SERVICE_UNAVAILABLE_MESSAGE, path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE' } };
    }
    if (!isClientSafe(formatted)) {
      return { message: INTERNAL_ERROR_MESSAGE, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    const { locations, path, extensions } = formatted;
    if (TOKEN_LIMIT_MESSAGE.test(formatted.message)) return { message: 'Syntax Error: Query validation error.', extensions: { code: extensions?.code } };
    const message = options.production ? formatted.message.replace(SUGGESTION, '') : formatted.message;
    return { message, locations, path, extensions: { code: extensions?.code } };
  };
}

export interface LoggingContext {
  requestId: string;
  log: Logger;
}

/** Logs unexpected errors with the request id and stamps that id on the masked errors the client sees. */
export function errorReportingPlugin<TContext extends LoggingContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors, operationName }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (typeof code === 'string' && CLIENT_SAFE_CODES.has(code)) continue;
            const cause = unwrapResolverError(error);
            // Nobody reads this answer: the client left, and what was abandoned for it is no fault.
            if (hasCode(cause, CLIENT_CLOSED_CODES) || hasCode(error.originalError, CLIENT_CLOSED_CODES)) continue;
            if (isUnavailable(cause)) {
              const reason = isConnectionFailure(cause) ? 'connection lost or refused' : 'given up by a time limit or the shutdown';
              contextValue.log.warn({ err: cause, path: error.path, operationName }, `${reason}; answered SERVICE_UNAVAILABLE`);
              continue;
            }
            contextValue.log.error(
              { err: unwrapResolverError(error), path: error.path, operationName, code },
              'unexpected error while executing a request',
            );
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) =>
            error.extensions?.code === 'INTERNAL_SERVER_ERROR'
              ? { ...error, extensions: { ...error.extensions, requestId: contextValue.requestId } }
              : error,
          );
        },
      };
    },
  };
}

/**
 * HTTP 503 (with `Retry-After`) when a request failed as a whole for a retryable reason: no data at
 * all (no answer, or null for every root field), and every error SERVICE_UNAVAILABLE. A partial
 * answer keeps its 200. At the router, a root field a subgraph could not serve is null (when nullable).
 */
export function unavailableStatusPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          const noData = data == null || Object.values(data).every((value) => value === null);
          if (!noData || !errors?.length || !errors.every((error) => error.extensions?.code === 'SERVICE_UNAVAILABLE')) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', '1');
        },
      };
    },
  };
}
