import type { OrderResolvers } from '../__generated__/resolvers-types.js';

// The orders service decides who reads an order; here only its payments are added, for their owner and admins.
export const Order: OrderResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  payments: (order, _args, { payments, viewer, loaders }) => payments.ofOrder(viewer, order.id, (id) => loaders.ofOrder.load(id)),
};
