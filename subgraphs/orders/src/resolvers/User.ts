import type { UserResolvers } from '../__generated__/resolvers-types.js';

// Who may read these is declared on the type (@private); the orders are their owner's alone here, an admin's view included.
export const User: UserResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  orders: ({ id }, args, { orders, viewer }) => orders.ofUser(viewer, id, args),
};
