import { sql } from 'drizzle-orm';
import { bigint, boolean, char, check, customType, index, integer, jsonb, pgSchema, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, updatedAt } from '../columns.js';

export const catalogSchema = pgSchema('catalog');

/** A PostgreSQL text-search document (`to_tsvector`). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
/** The name of a text-search configuration (`english`, `german`, `simple` …). */
const regconfig = customType<{ data: string }>({ dataType: () => 'regconfig' });

/** Text per locale (BCP 47 tag → text): names of categories, collections, options; alt texts of images. */
export type Translations = Record<string, string>;

/**
 * The category tree: a category without a parent is a root. Names and slugs are per locale. An
 * `archived` category is hidden from shoppers with everything below it.
 */
export const categories = catalogSchema.table(
  'categories',
  {
    id: idColumn(),
    parentId: uuid('parent_id'),
    position: integer('position').notNull().default(0),
    names: jsonb('names').$type<Translations>().notNull(),
    slugs: jsonb('slugs').$type<Translations>().notNull(),
    status: text('status', { enum: ['active', 'archived'] }).notNull().default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index('categories_parent').on(table.parentId, table.position)],
);

/** A hand-picked set of products (a season, a campaign), in the order the admin chose; `archived` ones are hidden. */
export const collections = catalogSchema.table('collections', {
  id: idColumn(),
  names: jsonb('names').$type<Translations>().notNull(),
  slugs: jsonb('slugs').$type<Translations>().notNull(),
  position: integer('position').notNull().default(0),
  status: text('status', { enum: ['active', 'archived'] }).notNull().default('active'),
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
  (table) => [
    index('products_category').on(table.categoryId, table.id),
    // The few products hidden from shoppers: a search leaves them out without looking up every match.
    index('products_unlisted').on(table.id).where(sql`${table.status} <> 'active'`),
  ],
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
    index('product_translations_name').on(table.locale, table.name, table.productId),
  ],
);

/**
 * Every word of every product name (lower case, as the `simple` text-search configuration splits
 * them), to correct the spelling of a search that matches nothing: "moutain" becomes "mountain" by
 * trigram similarity over a few thousand words instead of over every name (the pg_trgm documentation's
 * advice). Kept by a trigger on `product_translations` (migration 0008); a word no name uses any more
 * stays, and then corrects to a word that finds nothing.
 */
export const searchWords = catalogSchema.table(
  'search_words',
  {
    word: text('word').primaryKey(),
  },
  (table) => [index('search_words_trgm').using('gin', table.word.op('gin_trgm_ops'))],
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

/**
 * The lowest price of a product's active variants per currency, for sorting and price bands without
 * looking at every variant. Kept by triggers on `variants` and `variant_prices` (migration 0008), so no
 * write path can leave it stale.
 */
export const productPrices = catalogSchema.table(
  'product_prices',
  {
    productId: uuid('product_id').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    lowestMinor: bigint('lowest_minor', { mode: 'bigint' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.productId, table.currency] }), index('product_prices_currency_lowest').on(table.currency, table.lowestMinor, table.productId)],
);

/**
 * Whether each variant is in stock, as the inventory service last told (its `availabilityChanges` feed):
 * a copy for filtering product lists, never for selling. A variant inventory never mentioned is not in stock.
 */
export const variantStock = catalogSchema.table('variant_stock', {
  variantId: uuid('variant_id').primaryKey(),
  inStock: boolean('in_stock').notNull(),
  updatedAt: updatedAt(),
});

/** How far the catalog has read each feed of another service (an opaque position that service gave). */
export const feedPositions = catalogSchema.table('feed_positions', {
  feed: text('feed').primaryKey(),
  position: text('position').notNull(),
  updatedAt: updatedAt(),
});

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
