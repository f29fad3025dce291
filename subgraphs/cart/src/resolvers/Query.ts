import type { QueryResolvers } from '../__generated__/resolvers-types.js';

export const Query: QueryResolvers = {
  cart: (_parent, args, { carts, shopper, loaders }) => carts.find(shopper, args, (id) => loaders.storedCart.load(id)),
};
