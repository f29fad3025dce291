/** Expected failures of second factors, shaped as the GraphQL union members they become. */

/** One answer for every failure (wrong, reused or expired code; unknown or expired challenge; refused passkey; locked account). */
export const invalidSecondFactor = () =>
  ({ __typename: 'InvalidSecondFactor', code: 'INVALID_SECOND_FACTOR', message: 'The code or passkey was not accepted; sign in again if this keeps happening' }) as const;

export const secondFactorAlreadyEnabled = () =>
  ({
    __typename: 'SecondFactorAlreadyEnabled',
    code: 'SECOND_FACTOR_ALREADY_ENABLED',
    message: 'An authenticator app is already enabled; remove it before enrolling another',
  }) as const;
