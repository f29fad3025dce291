import { money } from '@meridian/money';
import type { OrderFeedEventResolvers } from '../__generated__/resolvers-types.js';

// Reached only through `orderEvents` (the `notifications` role); the order is read through the request's loader.
export const OrderFeedEvent: OrderFeedEventResolvers = {
  occurredAt: (event) => event.createdAt,
  order: async (event, _args, { loaders }) => (await loaders.order.load(event.orderId))!,
  userId: async (event, _args, { loaders }) => (await loaders.order.load(event.orderId))?.userId ?? null,
  locale: async (event, _args, { loaders }) => (await loaders.order.load(event.orderId))!.locale,
  refunded: async (event, _args, { loaders }) => {
    const refundedMinor = event.payload.refundedMinor;
    if (typeof refundedMinor !== 'string') return null;
    return money(BigInt(refundedMinor), (await loaders.order.load(event.orderId))!.currency);
  },
};
