import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ApolloServer } from '@apollo/server';
import { createErrorMasker, isConnectionFailure, isUnavailable, SERVICE_UNAVAILABLE_MESSAGE, ServiceStoppingError, unavailableStatusPlugin } from './errors.js';

const driverError = (code: string) => Object.assign(new Error(`write ${code} 127.0.0.1:5432`), { code });
/** What drizzle throws: its own error, with the driver's as the cause. */
const queryError = (cause: Error) => new Error('Failed query: insert into "users"."addresses" …', { cause });
const resolverError = (original: Error) => new GraphQLError(original.message, { path: ['addAddress'], originalError: original });

describe('isConnectionFailure', () => {
  it('recognizes lost and refused connections, also behind a wrapping error', () => {
    for (const code of ['CONNECTION_CLOSED', 'CONNECT_TIMEOUT', 'ECONNRESET', 'ECONNREFUSED', 'UND_ERR_SOCKET', '57P01', '08006', '53300']) {
      expect(isConnectionFailure(queryError(driverError(code))), code).toBe(true);
    }
  });

  it('leaves every other failure unexpected', () => {
    for (const code of ['23505', '42P01', '22P02', 'ERR_INVALID_ARG_TYPE']) {
      expect(isConnectionFailure(queryError(driverError(code))), code).toBe(false);
    }
    expect(isConnectionFailure(new Error('boom'))).toBe(false);
    expect(isConnectionFailure('CONNECTION_CLOSED')).toBe(false);
  });
});

describe('createErrorMasker', () => {
  const mask = createErrorMasker({ production: true });

  it('answers a lost database connection with a retryable SERVICE_UNAVAILABLE and no driver text', () => {
    const error = resolverError(queryError(driverError('CONNECTION_CLOSED')));
    expect(mask({ message: error.message, path: ['addAddress'] }, error)).toEqual({
      message: SERVICE_UNAVAILABLE_MESSAGE,
      path: ['addAddress'],
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
  });

  it('still masks anything else as an internal error', () => {
    const error = resolverError(queryError(driverError('23505')));
    expect(mask({ message: error.message, path: ['addAddress'] }, error)).toEqual({
      message: 'Internal server error',
      path: ['addAddress'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('passes a SERVICE_UNAVAILABLE a subgraph already answered (at the router)', () => {
    const formatted = { message: SERVICE_UNAVAILABLE_MESSAGE, path: ['me'], extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: 'users' } };
    expect(mask(formatted, new GraphQLError(formatted.message))).toMatchObject({ message: SERVICE_UNAVAILABLE_MESSAGE, extensions: { code: 'SERVICE_UNAVAILABLE' } });
  });
});

describe('isUnavailable', () => {
  it('also answers time limits and a stopping service as retryable', () => {
    for (const code of ['CONNECTION_ACQUIRE_TIMEOUT', 'TRANSACTION_TIMEOUT', '57014', '25P03', 'CONNECTION_CLOSED']) {
      expect(isUnavailable(queryError(driverError(code))), code).toBe(true);
    }
    expect(isUnavailable(new ServiceStoppingError())).toBe(true);
    expect(isUnavailable(queryError(driverError('23505')))).toBe(false);
  });
});

describe('unavailableStatusPlugin', () => {
  const server = new ApolloServer({
    typeDefs: 'type Query { broken: String!, partial: String, fine: String }',
    resolvers: {
      Query: {
        broken: () => Promise.reject(driverError('CONNECTION_ACQUIRE_TIMEOUT')),
        partial: () => Promise.reject(driverError('57014')),
        fine: () => 'fine',
      },
    },
    formatError: createErrorMasker({ production: true }),
    plugins: [unavailableStatusPlugin()],
  });

  const status = async (query: string) => {
    const response = await server.executeOperation({ query });
    return { status: response.http.status ?? 200, retryAfter: response.http.headers.get('retry-after') ?? null };
  };

  it('answers 503 with Retry-After when the whole request failed as unavailable, 200 for a partial answer', async () => {
    expect(await status('{ broken }')).toEqual({ status: 503, retryAfter: '1' });
    expect(await status('{ partial fine }')).toEqual({ status: 200, retryAfter: null });
  });

  it('answers 503 when every root field is null for that reason, as the gateway answers for a subgraph it could not reach', async () => {
    expect(await status('{ partial }')).toEqual({ status: 503, retryAfter: '1' });
    expect(await status('{ partial again: partial }')).toEqual({ status: 503, retryAfter: '1' });
  });
});

describe('createErrorMasker at the router', () => {
  it('answers SERVICE_UNAVAILABLE for a subgraph that answered 503', () => {
    const mask = createErrorMasker({ production: true });
    const formatted = { message: '503: ', path: ['updateProfile'], extensions: { response: { status: 503, body: { errors: [] } } } };
    expect(mask(formatted, new GraphQLError(formatted.message))).toEqual({ message: SERVICE_UNAVAILABLE_MESSAGE, path: ['updateProfile'], extensions: { code: 'SERVICE_UNAVAILABLE' } });
  });
});
