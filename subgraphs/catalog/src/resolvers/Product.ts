import type { CatalogStatus, ProductResolvers } from '../__generated__/resolvers-types.js';
import type { CatalogContext } from '../context.js';
import { localize } from '../localized.js';
import type { Product as ProductModel, VariantOption } from '../products/products.model.js';

/** A product's text field in the request's locale; never null, since a product has at least one translation. */
function text(product: ProductModel, field: 'name' | 'slug' | 'description', context: CatalogContext) {
  const picked = localize(Object.fromEntries(product.translations.map((translation) => [translation.locale, translation[field]])), context.chain);
  return picked ?? { value: '', locale: context.chain.at(-1)!, isFallback: true };
}

export const Product: ProductResolvers = {
  __resolveReference: (reference, context) => context.loaders.product.load(reference.id.toLowerCase()),
  name: (product, _args, context) => text(product, 'name', context),
  slug: (product, _args, context) => text(product, 'slug', context),
  description: (product, _args, context) => text(product, 'description', context),
  status: (product) => product.status.toUpperCase() as CatalogStatus,
  category: async (product, _args, context) => (product.categoryId ? ((await context.loaders.categories()).find((category) => category.id === product.categoryId) ?? null) : null),
  variants: (product, _args, context) => context.loaders.variantsOfProduct.load(product.id),
  optionGroups: async (product, _args, context) => {
    const groups = new Map<string, { id: string; code: string; names: Record<string, string>; values: Map<string, VariantOption> }>();
    for (const variant of await context.loaders.variantsOfProduct.load(product.id)) {
      for (const option of variant.options) {
        const group = groups.get(option.groupId) ?? { id: option.groupId, code: option.groupCode, names: option.groupNames, values: new Map() };
        group.values.set(option.id, option);
        groups.set(option.groupId, group);
      }
    }
    return [...groups.values()].map((group) => ({ ...group, values: [...group.values.values()] }));
  },
  images: (product) => product.images,
  // Where the currency prices every active variant, the lowest price is kept per product (no variant read).
  fromPrice: async (product, _args, context) => {
    const exact = await context.loaders.exactLowestPrice.load(product.id);
    return exact === null ? context.prices.lowest(await context.loaders.variantsOfProduct.load(product.id)) : context.prices.exact(exact);
  },
};
