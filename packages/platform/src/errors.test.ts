import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createErrorMasker, isConnectionFailure, SERVICE_UNAVAILABLE_MESSAGE } from './errors.js';

const driverError = (code: string) => Object.assign(new Error(`write ${code} 127.0.0.1:5432`), { code });
/** What drizzle throws: its own error, with the driver's as the cause. */
const queryError = (cause: Error) => new Error('Failed query: insert into "users"."addresses" …', { cause });
const resolverError = (original: Error) => new GraphQLError(original.message, { path: ['addAddress'], originalError: original });

describe('isConnectionFailure', () => {
  it('recognizes lost and refused connections, also behind a wrapping error', () => {
    for (const code of ['CONNECTION_CLOSED', 'CONNECT_TIMEOUT', 'ECONNRESET', 'ECONNREFUSED', '57P01', '08006', '53300']) {
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
