import type { QueryResolvers } from '../__generated__/resolvers-types.js';

export const Query: QueryResolvers = {
  cart: (_parent, args, { carts, shopper, loaders }) => carts.find(shopper, args, (id) => loaders.storedCart.load(id)),
  checkoutCart: (_parent, args, { checkout, loaders }) => checkout.find(args, (id) => loaders.storedCart.load(id)),
};
