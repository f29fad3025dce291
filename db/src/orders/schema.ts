import { sql } from 'drizzle-orm';
import { bigint, boolean, char, check, customType, date, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, updatedAt } from '../columns.js';

export const ordersSchema = pgSchema('orders');

/** A PostgreSQL 64-bit transaction id (`pg_current_xact_id()`), as text. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/** An address as it was when the order was placed (a snapshot, never a reference to the address book). */
export interface AddressSnapshot {
  fullName: string;
  company?: string | null;
  line1: string;
  line2?: string | null;
  city: string;
  region?: string | null;
  postalCode?: string | null;
  countryCode: string;
  phone?: string | null;
}

export interface TaxLineSnapshot {
  name: string;
  /** In per cent, as a decimal string (`19`, `25.5`), as the cart computed with it. */
  rate: string;
  /** Minor units as a decimal string (JSON holds no bigint). */
  amountMinor: string;
}

/**
 * One checkout, from its idempotency key to its order: the saga's own record. Its `state` says how far
 * it got (`started`, `reserved`, `ordered` — the order and its hand-off to payment are written together —,
 * `completed` once the cart is closed, or `failed` with its compensation done), so a repeated request
 * answers from here and a restarted process finishes or undoes what was left. A cart is checked out once:
 * at most one checkout per cart that has not failed.
 */
export const checkouts = ordersSchema.table(
  'checkouts',
  {
    idempotencyKey: text('idempotency_key').primaryKey(),
    cartId: uuid('cart_id').notNull(),
    /** Who checked out: the user, or null for a guest. A key is bound to its first caller and cart. */
    userId: uuid('user_id'),
    /** A guest's cart token, as its SHA-256 (base64url): a retry with the key must hold the same token. */
    cartTokenHash: text('cart_token_hash'),
    state: text('state').notNull().default('started'),
    reservationId: uuid('reservation_id'),
    orderId: uuid('order_id'),
    /** The typed failure the checkout ended with (`OUT_OF_STOCK`, `CART_EMPTY` …), as answered. */
    failure: jsonb('failure'),
    /** Bumped by each worker that takes the checkout over after its previous one stopped. */
    attempt: integer('attempt').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    check('checkouts_state', sql`${table.state} in ('started', 'reserved', 'ordered', 'completed', 'failed')`),
    index('checkouts_unfinished').on(table.updatedAt).where(sql`${table.state} in ('started', 'reserved', 'ordered')`),
    uniqueIndex('checkouts_cart_once').on(table.cartId).where(sql`${table.state} <> 'failed'`),
  ],
);

/** The last order number given per year: `M-2026-000123` is the 123rd order of 2026. */
export const orderNumbers = ordersSchema.table('order_numbers', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull(),
});

/** An order: what was bought, at which prices, taxes and rate, for whom and where to, as at checkout. */
export const orders = ordersSchema.table(
  'orders',
  {
    id: idColumn('Order'),
    number: text('number').notNull(),
    userId: uuid('user_id'),
    email: text('email'),
    cartId: uuid('cart_id').notNull(),
    status: text('status').notNull().default('PENDING_PAYMENT'),
    currency: char('currency', { length: 3 }).notNull(),
    subtotalMinor: bigint('subtotal_minor', { mode: 'bigint' }).notNull(),
    shippingMinor: bigint('shipping_minor', { mode: 'bigint' }).notNull(),
    discountMinor: bigint('discount_minor', { mode: 'bigint' }).notNull(),
    taxMinor: bigint('tax_minor', { mode: 'bigint' }).notNull(),
    totalMinor: bigint('total_minor', { mode: 'bigint' }).notNull(),
    refundedMinor: bigint('refunded_minor', { mode: 'bigint' }).notNull().default(sql`0`),
    /** Whether prices include tax in this currency (then tax lines are contained in the subtotal). */
    pricesIncludeTax: boolean('prices_include_tax').notNull(),
    taxLines: jsonb('tax_lines').$type<TaxLineSnapshot[]>().notNull(),
    /** The exchange rate converted prices were taken at, when any line was converted. */
    exchangeRateId: text('exchange_rate_id'),
    exchangeRateAsOf: date('exchange_rate_as_of', { mode: 'string' }),
    shippingMethod: text('shipping_method').notNull(),
    shippingAddress: jsonb('shipping_address').$type<AddressSnapshot>().notNull(),
    billingAddress: jsonb('billing_address').$type<AddressSnapshot>().notNull(),
    reservationId: uuid('reservation_id'),
    locale: text('locale').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('orders_number').on(table.number),
    index('orders_user').on(table.userId, table.id),
    index('orders_status').on(table.status, table.id),
    index('orders_unpaid').on(table.createdAt).where(sql`${table.status} = 'PENDING_PAYMENT'`),
    check('orders_status_known', sql`${table.status} in ('PENDING_PAYMENT', 'PAID', 'FULFILLED', 'DELIVERED', 'CANCELLED', 'REFUNDED')`),
  ],
);

/** One line of an order: the variant and its price, tax and total as at checkout; units refunded so far. */
export const orderLines = ordersSchema.table(
  'order_lines',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    id: uuid('id').notNull(),
    variantId: uuid('variant_id').notNull(),
    sku: text('sku'),
    quantity: integer('quantity').notNull(),
    unitPriceMinor: bigint('unit_price_minor', { mode: 'bigint' }).notNull(),
    lineTotalMinor: bigint('line_total_minor', { mode: 'bigint' }).notNull(),
    /** The line's share of the order's discount. */
    discountMinor: bigint('discount_minor', { mode: 'bigint' }).notNull(),
    taxMinor: bigint('tax_minor', { mode: 'bigint' }).notNull(),
    refundedQuantity: integer('refunded_quantity').notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.orderId, table.position] }),
    uniqueIndex('order_lines_id').on(table.id),
    check('order_lines_quantities', sql`${table.quantity} > 0 and ${table.refundedQuantity} between 0 and ${table.quantity}`),
  ],
);

/** Every change of an order's status: from, to, by whom (a user id or a service), why, when. Append-only. */
export const orderEvents = ordersSchema.table(
  'order_events',
  {
    id: idColumn(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    event: text('event').notNull(),
    actor: text('actor').notNull(),
    reason: text('reason'),
    /** Units refunded per line by this event, for partial refunds. */
    refundedLines: jsonb('refunded_lines').$type<{ lineId: string; quantity: number }[]>(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('order_events_order').on(table.orderId, table.at)],
);

/**
 * Order events for other services (payments, notifications), written in the transaction that changes
 * the order: the transactional outbox. Consumers read it in `id` order and remember how far they got.
 */
export const outbox = ordersSchema.table(
  'outbox',
  {
    id: idColumn(),
    orderId: uuid('order_id').notNull(),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: createdAt(),
    /**
     * The transaction that wrote the event: the `orderEvents` feed reads the outbox from the oldest
     * transaction still running when it last read, so an event that commits late is not skipped.
     */
    recordedXid: xid8('recorded_xid').notNull().default(sql`pg_current_xact_id()`),
  },
  (table) => [index('outbox_order').on(table.orderId), index('outbox_recorded').on(table.recordedXid, table.id)],
);

export type CheckoutRow = typeof checkouts.$inferSelect;
export type OrderRow = typeof orders.$inferSelect;
export type OrderLineRow = typeof orderLines.$inferSelect;
export type OrderEventRow = typeof orderEvents.$inferSelect;
