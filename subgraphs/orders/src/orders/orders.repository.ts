import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { checkouts, orderEvents, orderLines, orderNumbers, orders, outbox, type OrderEventRow, type OrderLineRow, type OrderRow } from '@meridian/db/orders';
import type { CartSnapshot } from '../checkout/checkout.model.js';
import type { OrdersDb, OrdersExecutor, OrdersTransaction } from '../db.js';
import { orderNumber } from './order-number.rules.js';
import type { OrderEvent, OrderStatus } from './order-state.rules.js';

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;

export interface OrderListFilter {
  userId?: string;
  status?: OrderStatus;
}

export function createOrdersRepository({ db }: { db: OrdersDb }) {
  return {
    /**
     * Writes the order of a checkout: its number, lines, first event and the `order.placed` event for
     * payment and notifications (the outbox), in the caller's transaction.
     */
    async insert(
      tx: OrdersTransaction,
      input: {
        cart: CartSnapshot;
        userId: string | null;
        email: string | null;
        /** The request's locale: the language of the order's mail. */
        locale: string;
        skus: ReadonlyMap<string, string | null>;
        exchangeRate: { id: string; asOf: string } | null;
        reservationId: string;
        actor: string;
        now: Date;
      },
    ): Promise<OrderRow> {
      const { cart } = input;
      const year = input.now.getUTCFullYear();
      // The year's counter row is locked until the transaction ends: numbers are gapless and unique.
      const [counter] = await tx
        .insert(orderNumbers)
        .values({ year, last: 1 })
        .onConflictDoUpdate({ target: orderNumbers.year, set: { last: sql`${orderNumbers.last} + 1` } })
        .returning({ last: orderNumbers.last });
      const [order] = await tx
        .insert(orders)
        .values({
          number: orderNumber(year, counter!.last),
          userId: input.userId,
          email: input.email,
          cartId: cart.id,
          currency: cart.currency,
          subtotalMinor: cart.subtotalMinor,
          shippingMinor: cart.shippingMinor,
          discountMinor: cart.discountMinor,
          taxMinor: cart.taxMinor,
          totalMinor: cart.totalMinor,
          pricesIncludeTax: cart.pricesIncludeTax,
          taxLines: cart.taxLines,
          exchangeRateId: input.exchangeRate?.id ?? null,
          exchangeRateAsOf: input.exchangeRate?.asOf ?? null,
          shippingMethod: cart.shippingMethod!,
          shippingAddress: cart.shippingAddress!,
          billingAddress: cart.billingAddress ?? cart.shippingAddress!,
          reservationId: input.reservationId,
          locale: input.locale,
          createdAt: input.now,
          updatedAt: input.now,
        })
        .returning();
      await tx.insert(orderLines).values(
        cart.lines.map((line, position) => ({
          orderId: order!.id,
          position,
          id: uuidv7(),
          variantId: line.variantId,
          sku: input.skus.get(line.variantId) ?? null,
          quantity: line.quantity,
          unitPriceMinor: line.unitPriceMinor,
          lineTotalMinor: line.lineTotalMinor,
          discountMinor: line.discountMinor,
          taxMinor: line.taxMinor,
        })),
      );
      await tx.insert(orderEvents).values({ orderId: order!.id, fromStatus: null, toStatus: 'PENDING_PAYMENT', event: 'place', actor: input.actor, at: input.now });
      await tx.insert(outbox).values({
        orderId: order!.id,
        type: 'order.placed',
        payload: { orderId: order!.id, number: order!.number, currency: order!.currency, totalMinor: order!.totalMinor.toString(), userId: order!.userId, email: order!.email, locale: order!.locale },
      });
      return order!;
    },

    async byIds(executor: OrdersExecutor, ids: readonly string[]): Promise<OrderRow[]> {
      if (ids.length === 0) return [];
      return executor.select().from(orders).where(inArray(orders.id, [...ids]));
    },

    async linesOf(orderIds: readonly string[]): Promise<OrderLineRow[]> {
      if (orderIds.length === 0) return [];
      return db.select().from(orderLines).where(inArray(orderLines.orderId, [...orderIds])).orderBy(asc(orderLines.orderId), asc(orderLines.position));
    },

    async eventsOf(orderIds: readonly string[]): Promise<OrderEventRow[]> {
      if (orderIds.length === 0) return [];
      return db.select().from(orderEvents).where(inArray(orderEvents.orderId, [...orderIds])).orderBy(asc(orderEvents.orderId), asc(orderEvents.at), asc(orderEvents.id));
    },

    /** A page of orders, newest first, after the order `afterId`: a user's, or (admin) all, optionally of one status. */
    async page(filter: OrderListFilter, afterId: string | null, limit: number): Promise<OrderRow[]> {
      const conditions = [
        filter.userId ? eq(orders.userId, filter.userId) : undefined,
        filter.status ? eq(orders.status, filter.status) : undefined,
        afterId ? lt(orders.id, afterId) : undefined,
      ];
      return db
        .select()
        .from(orders)
        .where(and(...conditions))
        .orderBy(desc(orders.id))
        .limit(limit);
    },

    async count(filter: OrderListFilter): Promise<number> {
      const [row] = await db
        .select({ count: sql<number>`count(*)::int` })
        .from(orders)
        .where(and(filter.userId ? eq(orders.userId, filter.userId) : undefined, filter.status ? eq(orders.status, filter.status) : undefined));
      return row?.count ?? 0;
    },

    /** Locks an order and its lines for a change of status (in the caller's transaction). */
    async lock(tx: OrdersTransaction, orderId: string): Promise<{ order: OrderRow; lines: OrderLineRow[] } | null> {
      const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
      if (!order) return null;
      const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.position));
      return { order, lines };
    },

    /** Whether the order's history has an event of this kind with this reason (a payment's or refund's reference): replays are answered, not applied. */
    async hasEvent(executor: OrdersExecutor, orderId: string, event: OrderEvent, reason: string): Promise<boolean> {
      const rows = await executor
        .select({ id: orderEvents.id })
        .from(orderEvents)
        .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.event, event), eq(orderEvents.reason, reason)))
        .limit(1);
      return rows.length > 0;
    },

    /** Records a change of status (or a partial refund, status unchanged) with who, why and when, and its outbox event. */
    async recordTransition(
      tx: OrdersTransaction,
      change: {
        order: OrderRow;
        to: OrderStatus;
        event: OrderEvent;
        actor: string;
        reason: string | null;
        refunded?: { lineId: string; quantity: number; amountMinor: bigint }[];
        /** Refunded beyond the lines (the shipping, with the last unit). */
        extraRefundMinor?: bigint;
        now: Date;
      },
    ): Promise<OrderRow> {
      const refundedMinor = (change.refunded ?? []).reduce((sum, line) => sum + line.amountMinor, change.extraRefundMinor ?? 0n);
      for (const line of change.refunded ?? []) {
        await tx
          .update(orderLines)
          .set({ refundedQuantity: sql`${orderLines.refundedQuantity} + ${line.quantity}` })
          .where(and(eq(orderLines.orderId, change.order.id), eq(orderLines.id, line.lineId)));
      }
      const [updated] = await tx
        .update(orders)
        .set({ status: change.to, refundedMinor: sql`${orders.refundedMinor} + ${refundedMinor.toString()}::bigint`, updatedAt: change.now })
        .where(eq(orders.id, change.order.id))
        .returning();
      await tx.insert(orderEvents).values({
        orderId: change.order.id,
        fromStatus: change.order.status,
        toStatus: change.to,
        event: change.event,
        actor: change.actor,
        reason: change.reason,
        refundedLines: change.refunded?.map(({ lineId, quantity }) => ({ lineId, quantity })) ?? null,
        at: change.now,
      });
      await tx.insert(outbox).values({
        orderId: change.order.id,
        type: `order.${change.event === 'refund' && change.to !== 'REFUNDED' ? 'partially_refunded' : change.to.toLowerCase()}`,
        payload: {
          orderId: change.order.id,
          number: change.order.number,
          from: change.order.status,
          to: change.to,
          actor: change.actor,
          reason: change.reason,
          ...(change.refunded ? { refunded: change.refunded.map((line) => ({ lineId: line.lineId, quantity: line.quantity, amountMinor: line.amountMinor.toString() })) } : {}),
          // What this event refunded, by lines or by amount (the `orderEvents` feed's `refunded`).
          ...(change.event === 'refund' ? { refundedMinor: refundedMinor.toString() } : {}),
        },
      });
      return updated!;
    },

    /** Detaches the account's orders and checkouts from it (account deletion): they stay, owned by nobody. */
    async detachUser(tx: OrdersTransaction, userId: string): Promise<void> {
      await tx.update(orders).set({ userId: null, updatedAt: sql`now()` }).where(eq(orders.userId, userId));
      await tx.update(checkouts).set({ userId: null }).where(eq(checkouts.userId, userId));
    },

    /** Unpaid orders placed before `before`: the payment window closed, their stock goes back. */
    async unpaidOlderThan(minutes: number, limit: number): Promise<OrderRow[]> {
      return db
        .select()
        .from(orders)
        .where(and(eq(orders.status, 'PENDING_PAYMENT'), sql`${orders.createdAt} < now() - make_interval(mins => ${minutes})`))
        .orderBy(asc(orders.createdAt))
        .limit(limit);
    },
  };
}
