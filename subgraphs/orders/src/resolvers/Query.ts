import type { QueryResolvers } from '../__generated__/resolvers-types.js';

export const Query: QueryResolvers = {
  order: (_parent, { id }, { orders, viewer, loaders }) => orders.find(viewer, id, (orderId) => loaders.order.load(orderId)),
  guestOrder: (_parent, { id, cartToken }, { checkout }) => checkout.guestOrder(id, cartToken),
  orders: (_parent, { filter, first, after }, { orders }) => orders.list(filter, { first, after }),
  orderEvents: (_parent, { after, first }, { orderEvents }) => orderEvents.page(after ?? null, first ?? null),
};
