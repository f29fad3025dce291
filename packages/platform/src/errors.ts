import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
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
 * Socket errors, postgres.js connection codes and SQLSTATEs (class 08 connection exception, 57P01–57P03
 * shutdown, 53300 too many connections) that mean a database or another service dropped or refused the
 * connection: nothing about the request was wrong, and sending it again may succeed.
 */
const CONNECTION_FAILURE_CODES = new Set([
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

/** Whether an error (or one it was caused by, e.g. through drizzle's DrizzleQueryError) is a lost or refused connection. */
export function isConnectionFailure(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_FAILURE_CODES.has(code)) return true;
  }
  return false;
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

function isClientSafe(error: GraphQLFormattedError): boolean {
  const code = error.extensions?.code;
  return typeof code === 'string' && CLIENT_SAFE_CODES.has(code);
}

// graphql-js names its token limit in the message; the limits stay undisclosed.
const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more th(?:an|at) \d+ tokens/;

// "Did you mean …?" (graphql-js) and graphql-armor's "[Suggestion hidden]?" both tell that a similar name exists.
const SUGGESTION = /\s*Did you mean[^?]*\?|\s*\[Suggestion hidden\]\??/g;

/**
 * formatError for every Apollo Server in Meridian: pass client-safe errors, mask the rest. In
 * production, messages also lose every suggestion of a schema name (the schema is not public there).
 */
export function createErrorMasker(options: { production: boolean }) {
  return function maskError(formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError {
    if (isConnectionFailure(unwrapResolverError(error))) {
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
            if (isConnectionFailure(unwrapResolverError(error))) {
              contextValue.log.warn({ err: unwrapResolverError(error), path: error.path, operationName }, 'connection lost or refused; answered SERVICE_UNAVAILABLE');
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
