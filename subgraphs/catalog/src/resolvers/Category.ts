import type { CategoryRow } from '@meridian/db/catalog';
import type { CatalogStatus, CategoryResolvers, CollectionResolvers } from '../__generated__/resolvers-types.js';
import type { CatalogContext } from '../context.js';
import { localize } from '../localized.js';

export const topLevel = (categories: readonly CategoryRow[]) => categories.filter((category) => category.parentId === null);

const text = (translations: Record<string, string>, context: CatalogContext) => localize(translations, context.chain) ?? { value: '', locale: context.chain.at(-1)!, isFallback: true };

export const Category: CategoryResolvers = {
  name: (category, _args, context) => text(category.names, context),
  slug: (category, _args, context) => text(category.slugs, context),
  children: async (category, _args, context) => (await context.loaders.categories()).filter((child) => child.parentId === category.id),
  status: (category) => category.status.toUpperCase() as CatalogStatus,
};

export const Collection: CollectionResolvers = {
  name: (collection, _args, context) => text(collection.names, context),
  slug: (collection, _args, context) => text(collection.slugs, context),
  status: (collection) => collection.status.toUpperCase() as CatalogStatus,
};
