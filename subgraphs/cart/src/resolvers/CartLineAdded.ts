import type { CartLineAddedResolvers } from '../__generated__/resolvers-types.js';

export const CartLineAdded: CartLineAddedResolvers = {
  line: async ({ cart, lineId }, _args, { loaders }) => {
    const line = (await loaders.cartView.load(cart.id))?.lines.find((candidate) => candidate.id === lineId);
    if (!line) throw new Error('a line that was added could not be read back');
    return line;
  },
};
