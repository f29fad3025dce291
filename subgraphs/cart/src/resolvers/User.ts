import type { UserResolvers } from '../__generated__/resolvers-types.js';

// Who may read these is declared on the type (@private); the cart is its owner's alone, an admin's view included.
export const User: UserResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  cart: ({ id }, _args, { carts, shopper, loaders }) => carts.ofUser(shopper, id, (userId) => loaders.openCartOfUser.load(userId)),
};
