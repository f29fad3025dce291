import type { CategoryFacetResolvers, ProductConnectionResolvers, ProductEdgeResolvers } from '../__generated__/resolvers-types.js';

export const ProductConnection: ProductConnectionResolvers = {
  facets: (page, _args, context) => (page.scope ? context.products.facets(page.scope) : { categories: [], options: [], priceBands: [] }),
};

export const ProductEdge: ProductEdgeResolvers = {
  node: async (edge, _args, context) => (await context.loaders.product.load(edge.productId))!,
};

export const CategoryFacet: CategoryFacetResolvers = {
  category: async (facet, _args, context) => (await context.loaders.categories()).find((category) => category.id === facet.categoryId)!,
};
