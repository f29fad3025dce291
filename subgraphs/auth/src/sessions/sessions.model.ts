import type { Viewer } from '@meridian/platform';
import type { Account } from '../accounts/accounts.model.js';

/** A freshly signed-in session: what `AuthSession` resolves from. */
export interface IssuedSession {
  __typename: 'AuthSession';
  viewer: Viewer;
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: Date;
  user: Account;
}

/** One of the viewer's sessions, as `mySessions` lists it. */
export interface SessionSummary {
  id: string;
  userId: string;
  device: string | null;
  ipNetwork: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  current: boolean;
}
