import { and, eq, inArray, sql } from 'drizzle-orm';
import { checkouts, orders, type CheckoutRow, type OrderRow } from '@meridian/db/orders';
import type { OrdersDb, OrdersExecutor } from '../db.js';

export type CheckoutsRepository = ReturnType<typeof createCheckoutsRepository>;

export type CheckoutState = 'started' | 'reserved' | 'ordered' | 'completed' | 'failed';

const UNFINISHED: CheckoutState[] = ['started', 'reserved', 'ordered'];

/** The checkout of `key` as the worker at `attempt` holds it: every write of a worker names its attempt, so one taken over writes nothing. */
const held = (key: string, attempt: number) => and(eq(checkouts.idempotencyKey, key), eq(checkouts.attempt, attempt));

/** The only place that talks SQL for checkouts (the saga's records). */
export function createCheckoutsRepository({ db }: { db: OrdersDb }) {
  return {
    /**
     * Starts the checkout of `key`, or answers the one that holds the key or the cart already: a key is
     * bound to its first cart and caller, and a cart is checked out at most once (unless that failed).
     */
    async claim(input: { key: string; cartId: string; userId: string | null; cartTokenHash: string | null }): Promise<{ claimed: boolean; row: CheckoutRow }> {
      const values = { idempotencyKey: input.key, cartId: input.cartId, userId: input.userId, cartTokenHash: input.cartTokenHash };
      for (let attempt = 0; attempt < 3; attempt++) {
        const [created] = await db.insert(checkouts).values(values).onConflictDoNothing().returning();
        if (created) return { claimed: true, row: created };
        const [byKey] = await db.select().from(checkouts).where(eq(checkouts.idempotencyKey, input.key));
        if (byKey) return { claimed: false, row: byKey };
        const [byCart] = await db
          .select()
          .from(checkouts)
          .where(and(eq(checkouts.cartId, input.cartId), sql`${checkouts.state} <> 'failed'`));
        if (byCart) return { claimed: false, row: byCart };
        // The checkout holding the cart failed in between: try again.
      }
      throw new Error('a checkout could be neither claimed nor found');
    },

    async find(key: string): Promise<CheckoutRow | null> {
      const [row] = await db.select().from(checkouts).where(eq(checkouts.idempotencyKey, key));
      return row ?? null;
    },

    /** Takes over a checkout whose worker stopped (still at `attempt`): only one taker wins. */
    async takeOver(key: string, attempt: number): Promise<CheckoutRow | null> {
      const [row] = await db
        .update(checkouts)
        .set({ attempt: attempt + 1, updatedAt: sql`now()` })
        .where(and(held(key, attempt), inArray(checkouts.state, UNFINISHED)))
        .returning();
      return row ?? null;
    },

    async markReserved(key: string, attempt: number, reservationId: string): Promise<boolean> {
      const rows = await db.update(checkouts).set({ state: 'reserved', reservationId, updatedAt: sql`now()` }).where(held(key, attempt)).returning({ key: checkouts.idempotencyKey });
      return rows.length > 0;
    },

    async markFailed(key: string, attempt: number, failure: unknown): Promise<void> {
      await db.update(checkouts).set({ state: 'failed', failure, updatedAt: sql`now()` }).where(held(key, attempt));
    },

    /** In the transaction that writes the order: false when the checkout was taken over (the order is then rolled back). */
    async markOrdered(tx: OrdersExecutor, key: string, attempt: number, orderId: string): Promise<boolean> {
      const rows = await tx.update(checkouts).set({ state: 'ordered', orderId, updatedAt: sql`now()` }).where(held(key, attempt)).returning({ key: checkouts.idempotencyKey });
      return rows.length > 0;
    },

    async markCompleted(key: string): Promise<void> {
      await db.update(checkouts).set({ state: 'completed', updatedAt: sql`now()` }).where(and(eq(checkouts.idempotencyKey, key), eq(checkouts.state, 'ordered')));
    },

    /** Forgets a checkout that stopped on an unexpected error before its order: the key starts over on a retry. */
    async forget(key: string, attempt: number): Promise<void> {
      await db.delete(checkouts).where(and(held(key, attempt), inArray(checkouts.state, ['started', 'reserved'])));
    },

    /** Checkouts left unfinished for longer than `leaseMs` (their process stopped): the recovery job's work. */
    async stale(leaseMs: number, limit: number): Promise<CheckoutRow[]> {
      return db
        .select()
        .from(checkouts)
        .where(and(inArray(checkouts.state, UNFINISHED), sql`${checkouts.updatedAt} < now() - make_interval(secs => ${leaseMs / 1000})`))
        .orderBy(checkouts.updatedAt)
        .limit(limit);
    },

    /**
     * A guest's order, if `cartTokenHash` is the hash of the token of the cart it was checked out from: one
     * statement (the order by its key, its checkout by the cart's). Null for anything else.
     */
    async guestOrder(orderId: string, cartTokenHash: string): Promise<OrderRow | null> {
      const [row] = await db
        .select({ order: orders })
        .from(orders)
        .innerJoin(checkouts, and(eq(checkouts.cartId, orders.cartId), eq(checkouts.orderId, orders.id)))
        .where(and(eq(orders.id, orderId), sql`${orders.userId} is null`, sql`${checkouts.userId} is null`, eq(checkouts.cartTokenHash, cartTokenHash)));
      return row?.order ?? null;
    },
  };
}
