import { storedMoney } from '../prices/prices.rules.js';
import type { CatalogStatus, ProductVariantResolvers } from '../__generated__/resolvers-types.js';

export const ProductVariant: ProductVariantResolvers = {
  __resolveReference: (reference, context) => context.loaders.variant.load(reference.id.toLowerCase()),
  product: async (variant, _args, context) => (await context.loaders.product.load(variant.productId))!,
  status: (variant) => variant.status.toUpperCase() as CatalogStatus,
  options: (variant) => variant.options,
  price: (variant, _args, context) => context.prices.priceOf(variant),
  prices: (variant) => variant.prices.map(storedMoney),
};
