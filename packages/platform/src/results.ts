import type { FieldViolation } from './validation.js';

/** The expected failures every service shares (common.graphql), shaped as the union members they become. */
export const validationFailed = (fields: FieldViolation[]) =>
  ({ __typename: 'ValidationFailed', code: 'VALIDATION_FAILED', message: 'Some fields are invalid', fields }) as const;

export const rateLimited = (retryAfterSeconds: number, message = 'Too many attempts; try again later') =>
  ({ __typename: 'RateLimited', code: 'RATE_LIMITED', message, retryAfterSeconds }) as const;

export const notFound = (message: string) => ({ __typename: 'NotFound', code: 'NOT_FOUND', message }) as const;
