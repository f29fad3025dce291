import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { payments, providerEvents, refunds, type PaymentRow, type RefundRow } from '@meridian/db/payments';
import type { PaymentsDb, PaymentsExecutor } from '../db.js';

export type PaymentsRepository = ReturnType<typeof createPaymentsRepository>;

type NewPayment = typeof payments.$inferInsert;

/** The only place that talks SQL for payments, their refunds and the provider events applied. */
export function createPaymentsRepository({ db }: { db: PaymentsDb }) {
  return {
    /** Inserts a payment, or answers the one its idempotency key already made. */
    async insertOnce(row: NewPayment): Promise<{ created: boolean; payment: PaymentRow }> {
      const [inserted] = await db.insert(payments).values(row).onConflictDoNothing({ target: payments.idempotencyKey }).returning();
      if (inserted) return { created: true, payment: inserted };
      const [existing] = await db.select().from(payments).where(eq(payments.idempotencyKey, row.idempotencyKey));
      return { created: false, payment: existing! };
    },

    async byIdempotencyKey(idempotencyKey: string): Promise<PaymentRow | null> {
      const [row] = await db.select().from(payments).where(eq(payments.idempotencyKey, idempotencyKey));
      return row ?? null;
    },

    async byIds(ids: readonly string[]): Promise<PaymentRow[]> {
      if (ids.length === 0) return [];
      return db.select().from(payments).where(inArray(payments.id, [...ids]));
    },

    async ofOrders(orderIds: readonly string[]): Promise<PaymentRow[]> {
      if (orderIds.length === 0) return [];
      return db.select().from(payments).where(inArray(payments.orderId, [...orderIds])).orderBy(asc(payments.orderId), asc(payments.id));
    },

    async refundsOf(paymentIds: readonly string[]): Promise<RefundRow[]> {
      if (paymentIds.length === 0) return [];
      return db.select().from(refunds).where(inArray(refunds.paymentId, [...paymentIds])).orderBy(asc(refunds.createdAt), asc(refunds.id));
    },

    async lock(executor: PaymentsExecutor, id: string): Promise<PaymentRow | null> {
      const [row] = await executor.select().from(payments).where(eq(payments.id, id)).for('update');
      return row ?? null;
    },

    async lockByProviderRef(executor: PaymentsExecutor, method: string, providerRef: string): Promise<PaymentRow | null> {
      const [row] = await executor.select().from(payments).where(and(eq(payments.method, method), eq(payments.providerRef, providerRef))).for('update');
      return row ?? null;
    },

    async update(executor: PaymentsExecutor, id: string, set: Partial<typeof payments.$inferInsert>): Promise<PaymentRow> {
      const [row] = await executor.update(payments).set(set).where(eq(payments.id, id)).returning();
      return row!;
    },

    /** Records a provider event; false when it was recorded before (a redelivery), which is then not applied again. */
    async recordEvent(executor: PaymentsExecutor, event: { provider: string; eventId: string; type: string; paymentId: string | null }): Promise<boolean> {
      const inserted = await executor.insert(providerEvents).values(event).onConflictDoNothing().returning({ eventId: providerEvents.eventId });
      return inserted.length > 0;
    },

    async insertRefundOnce(executor: PaymentsExecutor, row: typeof refunds.$inferInsert): Promise<{ created: boolean; refund: RefundRow }> {
      const [inserted] = await executor.insert(refunds).values(row).onConflictDoNothing({ target: refunds.idempotencyKey }).returning();
      if (inserted) return { created: true, refund: inserted };
      const [existing] = await executor.select().from(refunds).where(eq(refunds.idempotencyKey, row.idempotencyKey));
      return { created: false, refund: existing! };
    },

    async refundByKey(executor: PaymentsExecutor, idempotencyKey: string): Promise<RefundRow | null> {
      const [row] = await executor.select().from(refunds).where(eq(refunds.idempotencyKey, idempotencyKey));
      return row ?? null;
    },

    async updateRefund(executor: PaymentsExecutor, id: string, set: Partial<typeof refunds.$inferInsert>): Promise<RefundRow> {
      const [row] = await executor.update(refunds).set(set).where(eq(refunds.id, id)).returning();
      return row!;
    },

    async findRefund(executor: PaymentsExecutor, paymentId: string, refundId: string | null, providerRef: string): Promise<RefundRow | null> {
      const byRef = await executor.select().from(refunds).where(and(eq(refunds.paymentId, paymentId), eq(refunds.providerRef, providerRef)));
      if (byRef[0]) return byRef[0];
      if (!refundId) return null;
      const [byId] = await executor.select().from(refunds).where(and(eq(refunds.paymentId, paymentId), eq(refunds.id, refundId)));
      return byId ?? null;
    },

    async hasEventOfType(executor: PaymentsExecutor, paymentId: string, types: readonly string[]): Promise<boolean> {
      const rows = await executor.select({ eventId: providerEvents.eventId }).from(providerEvents).where(and(eq(providerEvents.paymentId, paymentId), inArray(providerEvents.type, [...types]))).limit(1);
      return rows.length > 0;
    },

    async refundTotals(executor: PaymentsExecutor, paymentId: string): Promise<{ succeeded: bigint; pending: bigint }> {
      const [row] = await executor
        .select({
          succeeded: sql<string>`coalesce(sum(${refunds.amountMinor}) filter (where ${refunds.status} = 'succeeded'), 0)::text`,
          pending: sql<string>`coalesce(sum(${refunds.amountMinor}) filter (where ${refunds.status} = 'pending'), 0)::text`,
        })
        .from(refunds)
        .where(eq(refunds.paymentId, paymentId));
      return { succeeded: BigInt(row?.succeeded ?? '0'), pending: BigInt(row?.pending ?? '0') };
    },

    /** Captures and refunds the orders service has not recorded yet (the order-sync job). */
    async unreported(limit: number): Promise<{ payments: PaymentRow[]; refunds: (RefundRow & { orderId: string })[] }> {
      const paid = await db
        .select()
        .from(payments)
        .where(and(inArray(payments.status, ['captured', 'partially_refunded', 'refunded']), eq(payments.orderPaidReported, false)))
        .limit(limit);
      const refunded = await db
        .select({ refund: refunds, orderId: payments.orderId })
        .from(refunds)
        .innerJoin(payments, eq(payments.id, refunds.paymentId))
        .where(and(eq(refunds.status, 'succeeded'), eq(refunds.orderReported, false), eq(payments.orderPaidReported, true)))
        .limit(limit);
      return { payments: paid, refunds: refunded.map(({ refund, orderId }) => ({ ...refund, orderId })) };
    },
  };
}
