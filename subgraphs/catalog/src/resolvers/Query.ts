import { isUuid } from '@meridian/platform';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { topLevel } from './Category.js';

export const Query: QueryResolvers = {
  products: (_parent, args, context) => context.products.list(args, { chain: context.chain, currency: context.localization.currency }),
  product: async (_parent, { id, slug }, context) => {
    const productId = id ? (isUuid(id) ? id.toLowerCase() : null) : slug ? await context.products.idBySlug(slug, context.chain) : null;
    return productId ? context.loaders.product.load(productId) : null;
  },
  categories: async (_parent, _args, context) => topLevel(await context.loaders.categories()),
  collections: (_parent, _args, context) => context.loaders.collections(),
};
