import { and, eq, lt, sql } from 'drizzle-orm';
import { idempotencyKeys } from '@meridian/db/users';
import { IDEMPOTENCY_KEY_RETENTION_HOURS } from '@meridian/platform';
import type { UsersDb, UsersExecutor } from '../db.js';

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;

export interface StoredResult {
  requestFingerprint: string;
  result: unknown;
}

/** The users service's idempotency keys: read and written inside the transaction of the create they guard. */
export function createIdempotencyRepository(_deps: { db: UsersDb }) {
  return {
    async find(tx: UsersExecutor, userId: string, operation: string, key: string): Promise<StoredResult | null> {
      const [row] = await tx
        .select({ requestFingerprint: idempotencyKeys.requestFingerprint, result: idempotencyKeys.result, createdAt: idempotencyKeys.createdAt })
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.operation, operation), eq(idempotencyKeys.key, key)));
      if (!row || row.createdAt.getTime() < Date.now() - IDEMPOTENCY_KEY_RETENTION_HOURS * 3_600_000) return null;
      return { requestFingerprint: row.requestFingerprint, result: row.result };
    },

    /** Records a key's first result, and forgets the user's keys past their retention (or a stale one with this key). */
    async store(tx: UsersExecutor, entry: { userId: string; operation: string; key: string; requestFingerprint: string; result: unknown }): Promise<void> {
      await tx
        .delete(idempotencyKeys)
        .where(and(eq(idempotencyKeys.userId, entry.userId), lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${IDEMPOTENCY_KEY_RETENTION_HOURS})`)));
      await tx
        .insert(idempotencyKeys)
        .values(entry)
        .onConflictDoUpdate({
          target: [idempotencyKeys.userId, idempotencyKeys.operation, idempotencyKeys.key],
          set: { requestFingerprint: entry.requestFingerprint, result: entry.result, createdAt: sql`now()` },
        });
    },

    async deleteByUser(tx: UsersExecutor, userId: string): Promise<void> {
      await tx.delete(idempotencyKeys).where(eq(idempotencyKeys.userId, userId));
    },
  };
}
