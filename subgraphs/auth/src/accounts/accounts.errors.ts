import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password.policy.js';

/** Expected failures of sign-up and sign-in, shaped as the GraphQL union members they become. */
export const invalidCredentials = () =>
  ({ __typename: 'InvalidCredentials', code: 'INVALID_CREDENTIALS', message: 'The e-mail address or password is incorrect' }) as const;

export const invalidEmail = () =>
  ({ __typename: 'InvalidEmail', code: 'INVALID_EMAIL', message: 'This is not a valid e-mail address' }) as const;

export const emailTaken = () =>
  ({ __typename: 'EmailTaken', code: 'EMAIL_TAKEN', message: 'An account cannot be created with this e-mail address' }) as const;

export const passwordTooWeak = (reason: 'TOO_SHORT' | 'TOO_LONG') =>
  ({
    __typename: 'PasswordTooWeak',
    code: 'PASSWORD_TOO_WEAK',
    message:
      reason === 'TOO_SHORT'
        ? `The password must be at least ${PASSWORD_MIN_LENGTH} characters`
        : `The password must be at most ${PASSWORD_MAX_LENGTH} characters`,
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
  }) as const;

export const busy = (retryAfterSeconds: number) =>
  ({
    __typename: 'RateLimited',
    code: 'RATE_LIMITED',
    message: 'Too many sign-in attempts are being processed; try again shortly',
    retryAfterSeconds,
  }) as const;
