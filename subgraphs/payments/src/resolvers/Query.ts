import type { QueryResolvers } from '../__generated__/resolvers-types.js';

export const Query: QueryResolvers = {
  availablePaymentMethods: (_parent, { cartId, cartToken }, { payments, viewer }) => payments.availableMethods(viewer, cartId, cartToken ?? null),
  payment: async (_parent, { id }, { payments, viewer, loaders }) => payments.find(viewer, await loaders.payment.load(id)),
};
