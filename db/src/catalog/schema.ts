import { sql } from 'drizzle-orm';
import { bigint, char, check, customType, index, integer, jsonb, pgSchema, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, updatedAt } from '../columns.js';

export const catalogSchema = pgSchema('catalog');

/** A PostgreSQL text-search document (`to_tsvector`). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
/** The name of a text-search configuration (`english`, `german`, `simple` …). */
const regconfig = customType<{ data: string }>({ dataType: () => 'regconfig' });

/** Text per locale (BCP 47 tag → text): names of categories, collections, options; alt texts of images. */
export type Translations = Record<string, string>;

/** The category tree: a category without a parent is a root. Names and slugs are per locale. */
export const categories = catalogSchema.table(
  'categories',
  {
    id: idColumn(),
    parentId: uuid('parent_id'),
    position: integer('position').notNull().default(0),
    names: jsonb('names').$type<Translations>().notNull(),
    slugs: jsonb('slugs').$type<Translations>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index('categories_parent').on(table.parentId, table.position)],
);

/** A hand-picked set of products (a season, a campaign), in the order the admin chose. */
export const collections = catalogSchema.table('collections', {
  id: idColumn(),
  names: jsonb('names').$type<Translations>().notNull(),
  slugs: jsonb('slugs').$type<Translations>().notNull(),
  position: integer('position').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const collectionProducts = catalogSchema.table(
  'collection_products',
  {
    collectionId: uuid('collection_id').notNull(),
    productId: uuid('product_id').notNull(),
    position: integer('position').notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.collectionId, table.productId] }), index('collection_products_product').on(table.productId)],
);

/** A product; what is sold is one of its variants. `archived` products are hidden from shoppers. */
export const products = catalogSchema.table(
  'products',
  {
    id: idColumn('Product'),
    categoryId: uuid('category_id'),
    status: text('status', { enum: ['active', 'archived'] }).notNull().default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index('products_category').on(table.categoryId, table.id)],
);

/**
 * Name, slug and description of a product in one locale, with the search document of that
 * locale's text-search configuration (name weighted A, description B).
 */
export const productTranslations = catalogSchema.table(
  'product_translations',
  {
    productId: uuid('product_id').notNull(),
    locale: text('locale').notNull(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    description: text('description').notNull().default(''),
    searchConfig: regconfig('search_config').notNull(),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector(search_config, name), 'A') || setweight(to_tsvector(search_config, description), 'B')`,
      ),
    updatedAt: updatedAt(),
  },
  (table) => [
    primaryKey({ columns: [table.productId, table.locale] }),
    index('product_translations_search').using('gin', table.search),
    index('product_translations_name_trgm').using('gin', table.name.op('gin_trgm_ops')),
    index('product_translations_name').on(table.locale, table.name, table.productId),
  ],
);

/**
 * Every slug a product has had per locale: the current one and the ones it replaced, so an old link
 * still resolves. A slug, once used in a locale, stays with its product.
 */
export const productSlugs = catalogSchema.table(
  'product_slugs',
  {
    locale: text('locale').notNull(),
    slug: text('slug').notNull(),
    productId: uuid('product_id').notNull(),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.locale, table.slug] }), index('product_slugs_product').on(table.productId)],
);

/** Option groups every product may use (size, colour), with their values. */
export const optionGroups = catalogSchema.table('option_groups', {
  id: idColumn(),
  code: text('code').notNull().unique(),
  names: jsonb('names').$type<Translations>().notNull(),
  position: integer('position').notNull().default(0),
});

export const optionValues = catalogSchema.table(
  'option_values',
  {
    id: idColumn(),
    groupId: uuid('group_id').notNull(),
    code: text('code').notNull(),
    names: jsonb('names').$type<Translations>().notNull(),
    position: integer('position').notNull().default(0),
  },
  (table) => [uniqueIndex('option_values_group_code').on(table.groupId, table.code)],
);

/** A sellable variant of a product: one SKU, one value per option group. */
export const variants = catalogSchema.table(
  'variants',
  {
    id: idColumn('ProductVariant'),
    productId: uuid('product_id').notNull(),
    sku: text('sku').notNull().unique(),
    position: integer('position').notNull().default(0),
    status: text('status', { enum: ['active', 'archived'] }).notNull().default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index('variants_product').on(table.productId, table.position)],
);

export const variantOptionValues = catalogSchema.table(
  'variant_option_values',
  {
    variantId: uuid('variant_id').notNull(),
    optionValueId: uuid('option_value_id').notNull(),
  },
  (table) => [primaryKey({ columns: [table.variantId, table.optionValueId] }), index('variant_option_values_value').on(table.optionValueId)],
);

/** A variant's price in one currency, in that currency's minor units (packages/money). */
export const variantPrices = catalogSchema.table(
  'variant_prices',
  {
    variantId: uuid('variant_id').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    amountMinor: bigint('amount_minor', { mode: 'bigint' }).notNull(),
    updatedAt: updatedAt(),
  },
  (table) => [
    primaryKey({ columns: [table.variantId, table.currency] }),
    index('variant_prices_currency_amount').on(table.currency, table.amountMinor),
    check('variant_prices_not_negative', sql`${table.amountMinor} >= 0`),
  ],
);

/** Product images as URLs, with their size and alt text per locale. */
export const productImages = catalogSchema.table(
  'product_images',
  {
    id: idColumn(),
    productId: uuid('product_id').notNull(),
    url: text('url').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    alt: jsonb('alt').$type<Translations>().notNull(),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
  },
  (table) => [index('product_images_product').on(table.productId, table.position)],
);

export type CategoryRow = typeof categories.$inferSelect;
export type CollectionRow = typeof collections.$inferSelect;
export type ProductRow = typeof products.$inferSelect;
export type VariantRow = typeof variants.$inferSelect;
export type ProductImageRow = typeof productImages.$inferSelect;
export type OptionGroupRow = typeof optionGroups.$inferSelect;
export type OptionValueRow = typeof optionValues.$inferSelect;
