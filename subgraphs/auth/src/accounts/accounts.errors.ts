import { rateLimited } from '@meridian/platform';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type PasswordWeakness } from './password.policy.js';

/** Expected failures of the auth service, shaped as the GraphQL union members they become. */
export const invalidCredentials = () =>
  ({ __typename: 'InvalidCredentials', code: 'INVALID_CREDENTIALS', message: 'The e-mail address or password is incorrect' }) as const;

export const invalidEmail = (message = 'This is not a valid e-mail address') => ({ __typename: 'InvalidEmail', code: 'INVALID_EMAIL', message }) as const;

export const invalidToken = () =>
  ({ __typename: 'InvalidToken', code: 'INVALID_TOKEN', message: 'This link is invalid or has expired; ask for a new one' }) as const;

const WEAKNESS_MESSAGES: Record<PasswordWeakness, string> = {
  TOO_SHORT: `The password must be at least ${PASSWORD_MIN_LENGTH} characters`,
  TOO_LONG: `The password must be at most ${PASSWORD_MAX_LENGTH} characters`,
  TOO_COMMON: 'This password is too common; choose one that is harder to guess',
  TOO_SIMILAR_TO_EMAIL: 'The password is too close to the e-mail address',
};

export const passwordTooWeak = (reason: PasswordWeakness) =>
  ({
    __typename: 'PasswordTooWeak',
    code: 'PASSWORD_TOO_WEAK',
    message: WEAKNESS_MESSAGES[reason],
    reason,
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
  }) as const;

/** The hashing queue is full: the same typed answer as a rate limit, with a short wait. */
export const hashingBusy = () => rateLimited(1, 'Too many sign-ins are being processed; try again shortly');
