import type { NotificationData } from '@meridian/db/notifications';

export type NotificationKind = 'order_confirmation' | 'payment_received' | 'shipped' | 'refunded' | 'cancelled';

export const NOTIFICATION_KINDS: readonly NotificationKind[] = ['order_confirmation', 'payment_received', 'shipped', 'refunded', 'cancelled'];

/** One event of the orders service's feed, as the `NotificationOrderEvents` operation reads it. */
export interface FeedEvent {
  id: string;
  type: string;
  userId: string | null;
  locale: string;
  refunded: { minorUnits: string } | null;
  order: {
    id: string;
    number: string;
    status: string;
    currency: string;
    email: string | null;
    total: { minorUnits: string };
    lines: { quantity: number }[];
    shippingAddress: { fullName: string };
  };
}

/** Which message an event type sends; the others (`order.delivered`, types added later) send none. */
const KIND_OF_EVENT: Readonly<Record<string, NotificationKind>> = {
  'order.placed': 'order_confirmation',
  'order.paid': 'payment_received',
  'order.fulfilled': 'shipped',
  'order.partially_refunded': 'refunded',
  'order.refunded': 'refunded',
  'order.cancelled': 'cancelled',
};

export interface QueuedMessage {
  eventId: string;
  kind: NotificationKind;
  orderId: string;
  userId: string | null;
  guestEmail: string | null;
  orderLocale: string;
  data: NotificationData;
}

/**
 * The message an order event sends, with what it says taken from the event, or null when it sends none: for
 * its type, or because nobody owns the order any more (its account was deleted, and a guest's has an address).
 */
export function messageFor(event: FeedEvent): QueuedMessage | null {
  const kind = KIND_OF_EVENT[event.type];
  if (!kind || (event.userId === null && event.order.email === null)) return null;
  const data: NotificationData = {
    orderNumber: event.order.number,
    currency: event.order.currency,
    totalMinor: event.order.total.minorUnits,
    customerName: event.order.shippingAddress.fullName,
  };
  if (kind === 'order_confirmation') data.itemCount = event.order.lines.reduce((sum, line) => sum + line.quantity, 0);
  if (kind === 'refunded') {
    data.refundedMinor = event.refunded?.minorUnits ?? null;
    data.fullRefund = event.type === 'order.refunded';
  }
  return {
    eventId: event.id,
    kind,
    orderId: event.order.id,
    userId: event.userId,
    // A signed-in shopper's order has no address of its own: the account's is read when the message leaves.
    guestEmail: event.userId === null ? event.order.email : null,
    orderLocale: event.locale,
    data,
  };
}
