import type { CategoryFacetResolvers, ProductConnectionResolvers, ProductEdgeResolvers, ProductFacetsResolvers } from '../__generated__/resolvers-types.js';
import { facetsOfVisible } from '../categories/visibility.rules.js';

export const ProductConnection: ProductConnectionResolvers = {
  facets: (page, _args, context) => (page.scope ? context.products.facets(page.scope) : { categories: [], options: [], priceBands: [] }),
};

export const ProductEdge: ProductEdgeResolvers = {
  // The page's statement read the products: later fields of the same request find them in the loaders.
  node: (edge, _args, context) => {
    context.loaders.product.prime(edge.productId, edge.product);
    context.loaders.exactLowestPrice.prime(edge.productId, edge.exactLowestMinor);
    return edge.product;
  },
};

export const ProductFacets: ProductFacetsResolvers = {
  categories: async (facets, _args, context) => facetsOfVisible(facets.categories, await context.loaders.categories()),
};

export const CategoryFacet: CategoryFacetResolvers = {
  category: async (facet, _args, context) => (await context.loaders.categories()).find((category) => category.id === facet.categoryId)!,
};
