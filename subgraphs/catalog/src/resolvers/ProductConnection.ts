import type { CategoryFacetResolvers, ProductConnectionResolvers, ProductEdgeResolvers, ProductFacetsResolvers } from '../__generated__/resolvers-types.js';
import { facetsOfVisible } from '../categories/visibility.rules.js';

export const ProductConnection: ProductConnectionResolvers = {
  facets: (page, _args, context) => (page.scope ? context.products.facets(page.scope) : { categories: [], options: [], priceBands: [] }),
};

export const ProductEdge: ProductEdgeResolvers = {
  node: async (edge, _args, context) => (await context.loaders.product.load(edge.productId))!,
};

export const ProductFacets: ProductFacetsResolvers = {
  categories: async (facets, _args, context) => facetsOfVisible(facets.categories, await context.loaders.categories()),
};

export const CategoryFacet: CategoryFacetResolvers = {
  category: async (facet, _args, context) => (await context.loaders.categories()).find((category) => category.id === facet.categoryId)!,
};
