import type { ClientInfo, Logger, Viewer } from '@meridian/platform';
import type { AccountsRepository } from '../accounts/accounts.repository.js';
import type { Account } from '../accounts/accounts.model.js';
import type { AuthDb, AuthExecutor } from '../db.js';
import type { AccessTokenIssuer } from './access-token.issuer.js';
import { hashRefreshToken, isRefreshTokenShaped, newRefreshToken } from './refresh-token.js';
import type { IssuedSession } from './sessions.model.js';
import type { SessionsRepository } from './sessions.repository.js';

export const invalidRefreshToken = () =>
  ({
    __typename: 'InvalidRefreshToken',
    code: 'INVALID_REFRESH_TOKEN',
    message: 'This refresh token cannot be used; sign in again',
  }) as const;

export type RefreshOutcome = IssuedSession | ReturnType<typeof invalidRefreshToken>;

export interface SessionPolicy {
  refreshTokenTtlSeconds: number;
  sessionMaxAgeSeconds: number;
}

export type SessionUseCases = ReturnType<typeof createSessionUseCases>;

export function createSessionUseCases(deps: {
  db: AuthDb;
  sessions: SessionsRepository;
  accounts: AccountsRepository;
  issuer: AccessTokenIssuer;
  policy: SessionPolicy;
  log: Logger;
  now?: () => Date;
}) {
  const { db, sessions, accounts, issuer, policy } = deps;
  const now = deps.now ?? (() => new Date());

  async function issue(tx: AuthExecutor, account: Account, sessionId: string, sessionExpiresAt: Date, at: Date): Promise<IssuedSession> {
    const refreshToken = newRefreshToken();
    const refreshExpiresAt = new Date(Math.min(at.getTime() + policy.refreshTokenTtlSeconds * 1000, sessionExpiresAt.getTime()));
    await sessions.addRefreshToken(tx, { sessionId, tokenHash: hashRefreshToken(refreshToken), expiresAt: refreshExpiresAt });
    const access = await issuer.issue({ userId: account.id, sessionId, roles: account.roles });
    return {
      __typename: 'AuthSession',
      sessionId,
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken,
      user: account,
    };
  }

  return {
    /** Opens a session for an account that just proved who it is; runs inside the caller's transaction. */
    async start(tx: AuthExecutor, account: Account, client: ClientInfo): Promise<IssuedSession> {
      const at = now();
      const expiresAt = new Date(at.getTime() + policy.sessionMaxAgeSeconds * 1000);
      const sessionId = await sessions.create(tx, { userId: account.id, userAgent: client.userAgent?.slice(0, 512) ?? null, expiresAt });
      return issue(tx, account, sessionId, expiresAt, at);
    },

    /**
     * Exchanges a refresh token for a new pair. A token works once: presenting a used one again
     * means it was copied, so the whole session ends (RFC 9700 4.14.2, refresh token rotation).
     */
    async refresh(refreshToken: string): Promise<RefreshOutcome> {
      if (!isRefreshTokenShaped(refreshToken)) return invalidRefreshToken();
      const tokenHash = hashRefreshToken(refreshToken);
      const at = now();
      return db.transaction(async (tx) => {
        const consumed = await sessions.consumeRefreshToken(tx, tokenHash, at);
        if (consumed.kind === 'reused') {
          await sessions.revoke(tx, consumed.sessionId, at);
          deps.log.warn({ sessionId: consumed.sessionId }, 'refresh token reused: session revoked');
          return invalidRefreshToken();
        }
        if (consumed.kind === 'invalid') return invalidRefreshToken();
        const [account] = await accounts.findByIds([consumed.userId], tx);
        if (!account) return invalidRefreshToken();
        await sessions.touch(tx, consumed.sessionId, at);
        return issue(tx, account, consumed.sessionId, consumed.sessionExpiresAt, at);
      });
    },

    /** Ends the viewer's current session: its refresh tokens stop working. */
    async logout(viewer: Viewer): Promise<boolean> {
      await sessions.revoke(db, viewer.sessionId, now(), viewer.userId);
      return true;
    },
  };
}
