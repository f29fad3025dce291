import { sql } from 'drizzle-orm';
import { bigint, boolean, char, check, index, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, updatedAt } from '../columns.js';

export const paymentsSchema = pgSchema('payments');

/**
 * One attempt to pay an order with one method. Written before the provider is called (status `created`, with
 * its idempotency key), so that a provider event for it always finds it, even when the process died before the
 * provider's answer was recorded. Amounts are integer minor units of the order's currency.
 */
export const payments = paymentsSchema.table(
  'payments',
  {
    id: idColumn('Payment'),
    orderId: uuid('order_id').notNull(),
    /** The order's owner when the payment was started (who may read it besides admins). */
    ownerId: uuid('owner_id'),
    method: text('method').notNull(),
    status: text('status').notNull().default('created'),
    currency: char('currency', { length: 3 }).notNull(),
    amountMinor: bigint('amount_minor', { mode: 'bigint' }).notNull(),
    capturedMinor: bigint('captured_minor', { mode: 'bigint' }).notNull().default(sql`0`),
    refundedMinor: bigint('refunded_minor', { mode: 'bigint' }).notNull().default(sql`0`),
    /** The provider's object: a Stripe PaymentIntent id, a PayPal order id, the bank transfer's reference. */
    providerRef: text('provider_ref'),
    /** The provider's capture (PayPal's capture id), which refunds name. */
    captureRef: text('capture_ref'),
    /** Stripe's client secret: the shopper's browser confirms the PaymentIntent with it (card data never reaches Meridian). */
    clientSecret: text('client_secret'),
    approvalUrl: text('approval_url'),
    failureCode: text('failure_code'),
    idempotencyKey: text('idempotency_key').notNull(),
    fingerprint: text('fingerprint').notNull(),
    /** Whether the orders service has recorded the capture (`markOrderPaid`): the retry job sends what is missing. */
    orderPaidReported: boolean('order_paid_reported').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('payments_idempotency_key').on(table.idempotencyKey),
    uniqueIndex('payments_provider_ref').on(table.method, table.providerRef),
    index('payments_order').on(table.orderId, table.id),
    index('payments_unreported').on(table.id).where(sql`${table.status} in ('captured', 'partially_refunded', 'refunded') and not ${table.orderPaidReported}`),
    check('payments_method_known', sql`${table.method} in ('card', 'paypal', 'bank_transfer')`),
    check('payments_status_known', sql`${table.status} in ('created', 'requires_action', 'authorized', 'captured', 'partially_refunded', 'refunded', 'cancelled', 'failed')`),
    check('payments_amounts', sql`${table.amountMinor} > 0 and ${table.capturedMinor} between 0 and ${table.amountMinor} and ${table.refundedMinor} between 0 and ${table.capturedMinor}`),
  ],
);

/** A refund of (part of) a captured payment: written before the provider is called, settled by the provider's event. */
export const refunds = paymentsSchema.table(
  'refunds',
  {
    id: uuid('id').primaryKey(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    amountMinor: bigint('amount_minor', { mode: 'bigint' }).notNull(),
    status: text('status').notNull().default('pending'),
    providerRef: text('provider_ref'),
    idempotencyKey: text('idempotency_key').notNull(),
    fingerprint: text('fingerprint').notNull(),
    /**
     * Why: `requested` by an admin (`refundPayment`), `order_cancelled` (the money was captured after its order was
     * cancelled, and all of it went back by itself), or `provider` (made at the provider, e.g. in its dashboard).
     */
    reason: text('reason').notNull().default('requested'),
    /** Whether the orders service has recorded it (`recordOrderRefund`); a cancelled order's refund has nothing to record. */
    orderReported: boolean('order_reported').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('refunds_idempotency_key').on(table.idempotencyKey),
    uniqueIndex('refunds_provider_ref').on(table.paymentId, table.providerRef),
    index('refunds_unreported').on(table.id).where(sql`${table.status} = 'succeeded' and not ${table.orderReported}`),
    check('refunds_status_known', sql`${table.status} in ('pending', 'succeeded', 'failed')`),
    check('refunds_reason_known', sql`${table.reason} in ('requested', 'order_cancelled', 'provider')`),
    // One automatic refund per payment, whatever replays the capture: the key is the payment's own.
    uniqueIndex('refunds_order_cancelled_once').on(table.paymentId).where(sql`${table.reason} = 'order_cancelled'`),
    check('refunds_amount_positive', sql`${table.amountMinor} > 0`),
  ],
);

/** Every provider event applied, once: a second delivery of the same event id changes nothing. */
export const providerEvents = paymentsSchema.table(
  'provider_events',
  {
    provider: text('provider').notNull(),
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    paymentId: uuid('payment_id'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.provider, table.eventId] })],
);

export type PaymentRow = typeof payments.$inferSelect;
export type RefundRow = typeof refunds.$inferSelect;
