import { and, eq, gt, isNull } from 'drizzle-orm';
import { refreshTokens, sessions } from '@meridian/db/auth';
import type { AuthExecutor } from '../db.js';

export type ConsumedRefreshToken =
  | { kind: 'consumed'; sessionId: string; userId: string; sessionExpiresAt: Date }
  | { kind: 'reused'; sessionId: string }
  | { kind: 'invalid' };

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;

export function createSessionsRepository() {
  return {
    async create(tx: AuthExecutor, input: { userId: string; userAgent: string | null; expiresAt: Date }): Promise<string> {
      const [row] = await tx.insert(sessions).values(input).returning({ id: sessions.id });
      if (!row) throw new Error('session insert returned no row');
      return row.id;
    },

    async addRefreshToken(tx: AuthExecutor, input: { sessionId: string; tokenHash: string; expiresAt: Date }): Promise<void> {
      await tx.insert(refreshTokens).values(input);
    },

    /**
     * Marks a refresh token as used if it is unused, unexpired and its session is live. The
     * conditional update takes the row lock, so of two concurrent exchanges only one succeeds.
     */
    async consumeRefreshToken(tx: AuthExecutor, tokenHash: string, now: Date): Promise<ConsumedRefreshToken> {
      const [consumed] = await tx
        .update(refreshTokens)
        .set({ usedAt: now })
        .from(sessions)
        .where(
          and(
            eq(refreshTokens.tokenHash, tokenHash),
            eq(refreshTokens.sessionId, sessions.id),
            isNull(refreshTokens.usedAt),
            gt(refreshTokens.expiresAt, now),
            isNull(sessions.revokedAt),
            gt(sessions.expiresAt, now),
          ),
        )
        .returning({ sessionId: sessions.id, userId: sessions.userId, sessionExpiresAt: sessions.expiresAt });
      if (consumed) return { kind: 'consumed', ...consumed };
      const [known] = await tx
        .select({ sessionId: refreshTokens.sessionId, usedAt: refreshTokens.usedAt })
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, tokenHash));
      return known?.usedAt ? { kind: 'reused', sessionId: known.sessionId } : { kind: 'invalid' };
    },

    async touch(tx: AuthExecutor, sessionId: string, now: Date): Promise<void> {
      await tx.update(sessions).set({ lastUsedAt: now }).where(eq(sessions.id, sessionId));
    },

    /** Ends a session; with `userId`, only if it belongs to that user. */
    async revoke(tx: AuthExecutor, sessionId: string, now: Date, userId?: string): Promise<boolean> {
      const rows = await tx
        .update(sessions)
        .set({ revokedAt: now })
        .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt), userId ? eq(sessions.userId, userId) : undefined))
        .returning({ id: sessions.id });
      return rows.length > 0;
    },
  };
}
