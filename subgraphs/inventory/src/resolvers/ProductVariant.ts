import type { ProductVariantResolvers } from '../__generated__/resolvers-types.js';

// References are batched by the loader: N variants of one `_entities` call cost one statement.
export const ProductVariant: ProductVariantResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  availability: async ({ id }, _args, { loaders, stock, viewer }) => stock.availability(await loaders.levelsByVariant.load(id), viewer),
};
