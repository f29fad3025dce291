import type { ProductSavedResolvers, VariantSavedResolvers } from '../__generated__/resolvers-types.js';

export const ProductSaved: ProductSavedResolvers = {
  product: async (saved, _args, context) => (await context.loaders.product.load(saved.product.id))!,
};

export const VariantSaved: VariantSavedResolvers = {
  variant: async (saved, _args, context) => (await context.loaders.variant.load(saved.variant.id))!,
};
