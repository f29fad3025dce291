import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, updatedAt } from '../columns.js';

export const notificationsSchema = pgSchema('notifications');

/**
 * How far the service has read a feed of another service (the orders service's `orderEvents`): the
 * position it handed out, saved in the transaction that queues the messages of the events before it.
 */
export const feedPositions = notificationsSchema.table('feed_positions', {
  feed: text('feed').primaryKey(),
  position: text('position').notNull(),
  updatedAt: updatedAt(),
});

/** What a message says, taken from the order event when it was queued (amounts in minor units, as strings). */
export interface NotificationData {
  orderNumber: string;
  currency: string;
  totalMinor: string;
  /** What this refund gave back, for `refunded`. */
  refundedMinor?: string | null;
  /** Whether the order is refunded in full, for `refunded`. */
  fullRefund?: boolean;
  /** Units bought, for `order_confirmation`. */
  itemCount?: number;
  /** The shipping address's recipient name. */
  customerName?: string | null;
}

/**
 * One message to send for one order event: at most one per event and kind (`deliveries_once`), so an event
 * read twice queues nothing new. `pending` until the transport accepted it (`sent`) or every attempt failed
 * (`dead`, until an admin retries it). A delivery under way holds `next_attempt_at` a lease ahead, so a
 * crashed sender's delivery is picked up again once the lease ends.
 */
export const deliveries = notificationsSchema.table(
  'deliveries',
  {
    id: idColumn(),
    eventId: uuid('event_id').notNull(),
    /** `order_confirmation`, `payment_received`, `shipped`, `refunded`, `cancelled`. */
    kind: text('kind').notNull(),
    orderId: uuid('order_id').notNull(),
    /** The account of the order (its e-mail and language are read when the message leaves); null for a guest. */
    userId: uuid('user_id'),
    /** A guest order's e-mail address. */
    guestEmail: text('guest_email'),
    /** The locale the order was placed in: the language when the account states none. */
    orderLocale: text('order_locale').notNull(),
    data: jsonb('data').$type<NotificationData>().notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    /** Why the last attempt failed (the transport's or the lookup's message, never a payload). */
    lastError: text('last_error'),
    /** Where and in which language it went, once it was rendered. */
    recipient: text('recipient'),
    locale: text('locale'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('deliveries_once').on(table.eventId, table.kind),
    index('deliveries_due').on(table.nextAttemptAt).where(sql`${table.status} = 'pending'`),
    index('deliveries_status').on(table.status, table.id),
    check('deliveries_status_known', sql`${table.status} in ('pending', 'sent', 'dead')`),
  ],
);

export type DeliveryRow = typeof deliveries.$inferSelect;

/**
 * What is left of a delivery of a deleted account (account deletion, or a send that found the account gone): its
 * key alone, so the event read again queues nothing. No order, account, address, name or content.
 */
export const erasedDeliveries = notificationsSchema.table(
  'erased_deliveries',
  {
    eventId: uuid('event_id').notNull(),
    kind: text('kind').notNull(),
  },
  (table) => [primaryKey({ columns: [table.eventId, table.kind] })],
);
