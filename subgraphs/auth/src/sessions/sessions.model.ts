import type { Viewer } from '@meridian/platform';
import type { Account } from '../accounts/accounts.model.js';

/** A freshly signed-in session: what `AuthSession` resolves from. */
export interface IssuedSession {
  __typename: 'AuthSession';
  viewer: Viewer;
  accessToken: string;
  /** Null once handed over in the browser's cookie instead of the body (`tokenDelivery: COOKIE`). */
  refreshToken: string | null;
  /** When the refresh token stops working: the cookie's lifetime. */
  refreshTokenExpiresAt: Date;
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
