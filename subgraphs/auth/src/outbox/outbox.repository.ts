import { and, eq, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { outbox } from '@meridian/db/auth';
import type { AuthDb, AuthExecutor } from '../db.js';
import { openPayload, sealPayload } from './outbox.crypto.js';
import type { OutboxMessage } from './outbox.model.js';

export interface ClaimedMessage {
  id: string;
  attempts: number;
  message: OutboxMessage;
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;

const LEASE_SECONDS = 60;

export function createOutboxRepository({ db, key }: { db: AuthDb; key: Buffer }) {
  return {
    /** Written in the caller's transaction: the message exists exactly when the change that needs it commits. */
    async enqueue(tx: AuthExecutor, message: OutboxMessage, options: { delaySeconds?: number } = {}): Promise<void> {
      const nextAttemptAt = options.delaySeconds ? { nextAttemptAt: sql`now() + make_interval(secs => ${options.delaySeconds})` } : {};
      await tx.insert(outbox).values({ kind: message.kind, payload: sealPayload(key, message), ...nextAttemptAt });
    },

    /**
     * Takes a lease on due messages. SKIP LOCKED and the lease let several replicas drain one outbox
     * without sending a message twice, and a crashed sender's messages come back after the lease.
     */
    async claimDue(limit: number): Promise<ClaimedMessage[]> {
      const rows = await db.transaction(async (tx) => {
        const due = await tx
          .select({ id: outbox.id })
          .from(outbox)
          .where(
            and(
              isNull(outbox.sentAt),
              isNull(outbox.deadAt),
              lte(outbox.nextAttemptAt, sql`now()`),
              or(isNull(outbox.lockedUntil), lt(outbox.lockedUntil, sql`now()`)),
            ),
          )
          .orderBy(outbox.nextAttemptAt)
          .limit(limit)
          .for('update', { skipLocked: true });
        if (due.length === 0) return [];
        return tx
          .update(outbox)
          .set({ lockedUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})` })
          .where(inArray(outbox.id, due.map((row) => row.id)))
          .returning({ id: outbox.id, attempts: outbox.attempts, payload: outbox.payload });
      });
      return rows.flatMap((row) => (row.payload ? [{ id: row.id, attempts: row.attempts, message: openPayload<OutboxMessage>(key, row.payload) }] : []));
    },

    /** Sent (or done, for deferred work, in the job's own transaction): the payload (and the live link in it) is erased. */
    async markSent(id: string, tx: AuthExecutor = db): Promise<void> {
      await tx.update(outbox).set({ sentAt: sql`now()`, payload: null, lockedUntil: null, lastError: null }).where(eq(outbox.id, id));
    },

    /**
     * Deletes the unsent messages `matches` picks (account deletion: mail to the address, jobs about the
     * account). Payloads are encrypted, so each is opened here; one that cannot be opened is kept.
     */
    async deletePending(tx: AuthExecutor, matches: (message: OutboxMessage) => boolean): Promise<number> {
      const pending = await tx
        .select({ id: outbox.id, payload: outbox.payload })
        .from(outbox)
        .where(and(isNull(outbox.sentAt), isNotNull(outbox.payload)))
        .for('update');
      const doomed = pending.flatMap(({ id, payload }) => {
        try {
          return payload && matches(openPayload<OutboxMessage>(key, payload)) ? [id] : [];
        } catch {
          return [];
        }
      });
      if (doomed.length > 0) await tx.delete(outbox).where(inArray(outbox.id, doomed));
      return doomed.length;
    },

    /** Messages neither sent nor given up, and the age of the oldest of them (seconds), for /metrics. */
    async backlog(): Promise<{ messages: number; oldestAgeSeconds: number }> {
      const [row] = await db
        .select({
          messages: sql<number>`count(*)::int`,
          oldestAgeSeconds: sql<number>`coalesce(extract(epoch from now() - min(${outbox.createdAt})), 0)::float8`,
        })
        .from(outbox)
        .where(and(isNull(outbox.sentAt), isNull(outbox.deadAt)));
      return { messages: row?.messages ?? 0, oldestAgeSeconds: row?.oldestAgeSeconds ?? 0 };
    },

    /** Gives claimed, unsent messages back at once (not after their lease), without counting an attempt. */
    async release(ids: string[]): Promise<void> {
      if (ids.length === 0) return;
      await db.update(outbox).set({ lockedUntil: null }).where(and(inArray(outbox.id, ids), isNull(outbox.sentAt)));
    },

    async markFailed(id: string, attempts: number, error: string, retryInSeconds: number | null): Promise<void> {
      await db
        .update(outbox)
        .set(
          retryInSeconds === null
            ? { attempts, lastError: error, deadAt: sql`now()`, payload: null, lockedUntil: null }
            : { attempts, lastError: error, nextAttemptAt: sql`now() + make_interval(secs => ${retryInSeconds})`, lockedUntil: null },
        )
        .where(eq(outbox.id, id));
    },
  };
}
