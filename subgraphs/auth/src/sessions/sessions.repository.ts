import { and, desc, eq, gt, gte, inArray, isNull, ne, sql } from 'drizzle-orm';
import { refreshTokens, sessions } from '@meridian/db/auth';
import type { AuthDb, AuthExecutor } from '../db.js';

export interface RefreshTokenState {
  sessionId: string;
  userId: string;
  usedAt: Date | null;
  expiresAt: Date;
  sessionRevokedAt: Date | null;
  sessionExpiresAt: Date;
  /** How the session proved who it is, and when: carried into every access token it gets. */
  proof: SessionProof;
  successor: { usedAt: Date | null; expiresAt: Date } | null;
}

/** When and how a session last proved who it is (the tokens' `auth_time` and `amr`). */
export interface SessionProof {
  authTime: Date;
  amr: string[];
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;

export function createSessionsRepository({ db }: { db: AuthDb }) {
  return {
    async create(
      tx: AuthExecutor,
      input: { userId: string; userAgent: string | null; deviceLabel: string | null; ipNetwork: string | null; expiresAt: Date; authTime: Date; amr: string[] },
    ): Promise<string> {
      const [row] = await tx.insert(sessions).values(input).returning({ id: sessions.id });
      if (!row) throw new Error('session insert returned no row');
      return row.id;
    },

    async addRefreshToken(tx: AuthExecutor, input: { id?: string; sessionId: string; tokenHash: string; expiresAt: Date }): Promise<void> {
      await tx.insert(refreshTokens).values(input);
    },

    /**
     * Marks an unused, unexpired token of a live session as exchanged for `successorId`. The
     * conditional update takes the row lock, so of concurrent exchanges exactly one rotates.
     */
    async rotate(tx: AuthExecutor, tokenHash: string, successorId: string, now: Date) {
      const [rotated] = await tx
        .update(refreshTokens)
        .set({ usedAt: now, replacedById: successorId })
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
        .returning({ sessionId: sessions.id, userId: sessions.userId, sessionExpiresAt: sessions.expiresAt, authTime: sessions.authTime, amr: sessions.amr });
      // A live session always has its account: only a deleted account's (ended) sessions lose it.
      if (!rotated?.userId) return null;
      const { authTime, amr, ...rest } = rotated;
      return { ...rest, userId: rotated.userId, proof: { authTime, amr } };
    },

    /** Everything needed to tell a retry inside the grace window from a replayed token. */
    async inspect(tx: AuthExecutor, tokenHash: string): Promise<RefreshTokenState | null> {
      const [row] = await tx
        .select({
          sessionId: refreshTokens.sessionId,
          userId: sessions.userId,
          usedAt: refreshTokens.usedAt,
          expiresAt: refreshTokens.expiresAt,
          replacedById: refreshTokens.replacedById,
          sessionRevokedAt: sessions.revokedAt,
          sessionExpiresAt: sessions.expiresAt,
          authTime: sessions.authTime,
          amr: sessions.amr,
        })
        .from(refreshTokens)
        .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
        .where(eq(refreshTokens.tokenHash, tokenHash));
      if (!row?.userId) return null;
      const { replacedById, userId, authTime, amr, ...state } = row;
      const [successor] = replacedById
        ? await tx.select({ usedAt: refreshTokens.usedAt, expiresAt: refreshTokens.expiresAt }).from(refreshTokens).where(eq(refreshTokens.id, replacedById))
        : [];
      return { ...state, userId, proof: { authTime, amr }, successor: successor ?? null };
    },

    /** The session a refresh token belongs to: the family its rate limit counts. */
    async familyOf(tokenHash: string): Promise<string | null> {
      const [row] = await db.select({ sessionId: refreshTokens.sessionId }).from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash));
      return row?.sessionId ?? null;
    },

    /** Step-up: the live session of `userId` proved who it is again; its next tokens carry the new proof. */
    async prove(tx: AuthExecutor, sessionId: string, userId: string, proof: SessionProof, now: Date): Promise<boolean> {
      const rows = await tx
        .update(sessions)
        .set({ authTime: proof.authTime, amr: proof.amr, lastUsedAt: now })
        .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
        .returning({ id: sessions.id });
      return rows.length > 0;
    },

    async touch(tx: AuthExecutor, sessionId: string, now: Date): Promise<void> {
      await tx.update(sessions).set({ lastUsedAt: now }).where(eq(sessions.id, sessionId));
    },

    /** Ends one session; with `userId`, only if it belongs to that user. */
    async revoke(tx: AuthExecutor, sessionId: string, now: Date, userId?: string): Promise<boolean> {
      const rows = await tx
        .update(sessions)
        .set({ revokedAt: now, revokedXid: sql`pg_current_xact_id()` })
        .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt), userId ? eq(sessions.userId, userId) : undefined))
        .returning({ id: sessions.id });
      return rows.length > 0;
    },

    /** Ends every live session of a user, except `keep`; returns the ended ids. */
    async revokeAll(tx: AuthExecutor, userId: string, now: Date, keep?: string): Promise<string[]> {
      const rows = await tx
        .update(sessions)
        .set({ revokedAt: now, revokedXid: sql`pg_current_xact_id()` })
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), keep ? ne(sessions.id, keep) : undefined))
        .returning({ id: sessions.id });
      return rows.map((row) => row.id);
    },

    /**
     * Account deletion: the user's sessions (ended by then) stay, without their account, device or
     * network, so the router's denylist still refuses their access tokens; their refresh tokens go.
     */
    async detachFromAccount(tx: AuthExecutor, userId: string): Promise<void> {
      const owned = tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId));
      await tx.delete(refreshTokens).where(inArray(refreshTokens.sessionId, owned));
      await tx.update(sessions).set({ userId: null, userAgent: null, deviceLabel: null, ipNetwork: null }).where(eq(sessions.userId, userId));
    },

    async listLive(userId: string, now: Date) {
      const rows = await db
        .select({
          id: sessions.id,
          deviceLabel: sessions.deviceLabel,
          ipNetwork: sessions.ipNetwork,
          createdAt: sessions.createdAt,
          lastUsedAt: sessions.lastUsedAt,
        })
        .from(sessions)
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
        .orderBy(desc(sessions.createdAt));
      return rows.map((row) => ({ ...row, userId }));
    },

    async isLive(tx: AuthExecutor, sessionId: string, userId: string, now: Date): Promise<boolean> {
      const [row] = await tx
        .select({ id: sessions.id })
        .from(sessions)
        .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
      return row !== undefined;
    },

    /**
     * Sessions ended since the horizon `after` (a transaction id) and after `notBefore`, and the next
     * horizon. The horizon is the oldest transaction still running when the rows are read: every
     * revocation not yet visible then has a transaction id at or above it, so reading again from it
     * misses nothing, however late a revocation commits.
     */
    async revokedAfter(after: string | null, notBefore: Date): Promise<{ next: string; sessions: { id: string; revokedAt: Date }[] }> {
      const [horizon] = await db.execute<{ next: string }>(sql`select pg_snapshot_xmin(pg_current_snapshot())::text as next`);
      const rows = await db
        .select({ id: sessions.id, revokedAt: sessions.revokedAt })
        .from(sessions)
        .where(and(after === null ? undefined : gte(sessions.revokedXid, after), gt(sessions.revokedAt, notBefore)))
        .orderBy(sessions.revokedAt);
      return { next: horizon!.next, sessions: rows.flatMap((row) => (row.revokedAt ? [{ id: row.id, revokedAt: row.revokedAt }] : [])) };
    },
  };
}
