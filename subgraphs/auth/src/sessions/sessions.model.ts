import type { Account } from '../accounts/accounts.model.js';

/** A freshly signed-in session: what `AuthSession` resolves from. */
export interface IssuedSession {
  __typename: 'AuthSession';
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: Date;
  user: Account;
}
