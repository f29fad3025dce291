import type { NotificationKindResolvers, NotificationStatusResolvers } from '../__generated__/resolvers-types.js';

// Stored in lower case (deliveries.kind, deliveries.status); the GraphQL enums name them in upper case.
export const NotificationKind: NotificationKindResolvers = {
  ORDER_CONFIRMATION: 'order_confirmation',
  PAYMENT_RECEIVED: 'payment_received',
  SHIPPED: 'shipped',
  REFUNDED: 'refunded',
  CANCELLED: 'cancelled',
};

export const NotificationStatus: NotificationStatusResolvers = { PENDING: 'pending', SENT: 'sent', DEAD: 'dead' };
