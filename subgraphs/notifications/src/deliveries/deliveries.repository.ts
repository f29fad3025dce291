import { and, count, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { deliveries, erasedDeliveries, feedPositions, type DeliveryRow } from '@meridian/db/notifications';
import type { QueuedMessage } from '../feed/order-event.rules.js';
import type { NotificationsDb, NotificationsExecutor } from '../db.js';

export type DeliveriesRepository = ReturnType<typeof createDeliveriesRepository>;
export type DeliveryStatus = 'pending' | 'sent' | 'dead';

/** Replaces the deliveries that `which` selects by their keys (`erased_deliveries`), in one statement; returns how many. */
async function erase(executor: NotificationsExecutor, which: SQL): Promise<number> {
  const rows = await executor.execute<{ event_id: string }>(sql`
    with erased as (delete from ${deliveries} where ${which} returning event_id, kind)
    insert into ${erasedDeliveries} (event_id, kind) select event_id, kind from erased
    on conflict do nothing returning event_id`);
  return rows.length;
}

/** The notifications schema: feed positions, deliveries and the keys of erased ones. The only place that talks SQL for them. */
export function createDeliveriesRepository({ db }: { db: NotificationsDb }) {
  return {
    async position(feed: string): Promise<string | null> {
      const [row] = await db.select({ position: feedPositions.position }).from(feedPositions).where(eq(feedPositions.feed, feed));
      return row?.position ?? null;
    },

    /**
     * Moves a feed's position from `expected` to `next`, in the caller's transaction; false when another worker
     * moved it first (then the caller rolls back: what it read is that worker's to queue).
     */
    async advance(tx: NotificationsExecutor, feed: string, expected: string | null, next: string): Promise<boolean> {
      const rows =
        expected === null
          ? await tx.insert(feedPositions).values({ feed, position: next }).onConflictDoNothing().returning({ feed: feedPositions.feed })
          : await tx
              .update(feedPositions)
              .set({ position: next, updatedAt: new Date() })
              .where(and(eq(feedPositions.feed, feed), eq(feedPositions.position, expected)))
              .returning({ feed: feedPositions.feed });
      return rows.length === 1;
    },

    /**
     * Queues messages; one already queued for the same event and kind is left as it is (`deliveries_once`), and
     * one whose delivery was erased with its account is not queued again.
     */
    async enqueue(tx: NotificationsExecutor, messages: readonly QueuedMessage[]): Promise<number> {
      if (messages.length === 0) return 0;
      const erased = await tx
        .select({ eventId: erasedDeliveries.eventId, kind: erasedDeliveries.kind })
        .from(erasedDeliveries)
        .where(inArray(erasedDeliveries.eventId, [...new Set(messages.map((message) => message.eventId))]));
      const gone = new Set(erased.map((key) => `${key.eventId} ${key.kind}`));
      const fresh = messages.filter((message) => !gone.has(`${message.eventId} ${message.kind}`));
      if (fresh.length === 0) return 0;
      const rows = await tx
        .insert(deliveries)
        .values(fresh.map((message) => ({ ...message })))
        .onConflictDoNothing({ target: [deliveries.eventId, deliveries.kind] })
        .returning({ id: deliveries.id });
      return rows.length;
    },

    /**
     * Takes up to `limit` due deliveries for one attempt each: counts the attempt and holds each for `leaseMs`
     * (another worker skips them meanwhile; a crashed one's come due again when the lease ends).
     */
    async claimDue(limit: number, leaseMs: number): Promise<DeliveryRow[]> {
      return db.execute<DeliveryRow>(sql`
        update ${deliveries} d
        set attempts = d.attempts + 1, last_attempt_at = now(), next_attempt_at = now() + ${leaseMs} * interval '1 millisecond', updated_at = now()
        from (
          select id from ${deliveries} where status = 'pending' and next_attempt_at <= now()
          order by next_attempt_at limit ${limit} for update skip locked
        ) due
        where d.id = due.id
        returning d.id, d.event_id as "eventId", d.kind, d.order_id as "orderId", d.user_id as "userId", d.guest_email as "guestEmail",
          d.order_locale as "orderLocale", d.data, d.status, d.attempts, d.next_attempt_at as "nextAttemptAt", d.last_attempt_at as "lastAttemptAt",
          d.last_error as "lastError", d.recipient, d.locale, d.sent_at as "sentAt", d.created_at as "createdAt", d.updated_at as "updatedAt"`) as unknown as Promise<DeliveryRow[]>;
    },

    async markSent(id: string, attempt: number, sent: { recipient: string; locale: string }): Promise<void> {
      await db
        .update(deliveries)
        .set({ status: 'sent', sentAt: new Date(), lastError: null, recipient: sent.recipient, locale: sent.locale })
        .where(and(eq(deliveries.id, id), eq(deliveries.attempts, attempt)));
    },

    /** Records a failed attempt: due again at `retryAt`, or dead when there is none. */
    async markFailed(id: string, attempt: number, failure: { error: string; retryAt: Date | null; recipient?: string; locale?: string }): Promise<void> {
      await db
        .update(deliveries)
        .set({
          status: failure.retryAt ? 'pending' : 'dead',
          nextAttemptAt: failure.retryAt ?? sql`${deliveries.nextAttemptAt}`,
          lastError: failure.error,
          ...(failure.recipient ? { recipient: failure.recipient } : {}),
          ...(failure.locale ? { locale: failure.locale } : {}),
        })
        .where(and(eq(deliveries.id, id), eq(deliveries.attempts, attempt)));
    },

    /**
     * Account deletion: every delivery of the account goes (its address, the name and amounts it says, the
     * account's id), and only its event id and kind stay. Idempotent.
     */
    async eraseAccount(tx: NotificationsExecutor, userId: string): Promise<number> {
      return erase(tx, sql`user_id = ${userId}`);
    },

    /** Erases one delivery as `eraseAccount` does: its account is gone. */
    async erase(id: string): Promise<void> {
      await erase(db, sql`id = ${id}`);
    },

    async byId(id: string): Promise<DeliveryRow | null> {
      const [row] = await db.select().from(deliveries).where(eq(deliveries.id, id));
      return row ?? null;
    },

    /** Queues a delivery that was not sent again, due now, with its attempts counted from zero. */
    async requeue(id: string): Promise<DeliveryRow | null> {
      const [row] = await db
        .update(deliveries)
        .set({ status: 'pending', attempts: 0, nextAttemptAt: sql`now()`, lastError: null })
        .where(and(eq(deliveries.id, id), sql`${deliveries.status} <> 'sent'`))
        .returning();
      return row ?? null;
    },

    /** A page of deliveries, newest first, after the delivery `afterId`. */
    async page(status: DeliveryStatus | null, afterId: string | null, limit: number): Promise<DeliveryRow[]> {
      return db
        .select()
        .from(deliveries)
        .where(and(status ? eq(deliveries.status, status) : undefined, afterId ? lt(deliveries.id, afterId) : undefined))
        .orderBy(desc(deliveries.id))
        .limit(limit);
    },

    async count(status: DeliveryStatus | null): Promise<number> {
      const [row] = await db.select({ count: count() }).from(deliveries).where(status ? eq(deliveries.status, status) : undefined);
      return row?.count ?? 0;
    },
  };
}
