import { sql, type SQL } from 'drizzle-orm';
import type { CatalogDb } from '../db.js';
import type { ListingScope, Product, ProductFilter, ProductSort, Variant } from './products.model.js';

export type ProductsRepository = ReturnType<typeof createProductsRepository>;

/** One bound of a page: the sort key and id of the product the page starts after. */
export interface Keyset {
  key: string;
  id: string;
}

export interface PageQuery {
  sort: ProductSort;
  /** Walk the order backwards (`last`/`before`). */
  backward: boolean;
  after: Keyset | null;
  limit: number;
}

/** A sort as SQL: the key of each product, its type (for cursor values) and its direction. */
interface SortSpec {
  key: SQL;
  type: 'uuid' | 'text' | 'bigint' | 'float8';
  descending: boolean;
}

const ids = (values: readonly string[]) => sql`${sql.param(values)}::uuid[]`;
const texts = (values: readonly string[]) => sql`${sql.param(values)}::text[]`;

const LARGEST_BIGINT = '9223372036854775807';

/** The search query: the words in each configuration of the request's languages, any of them matching. */
function tsQuery(scope: ListingScope): SQL {
  const parts = scope.searchConfigs.map((config) => sql`websearch_to_tsquery(${config}::regconfig, ${scope.filter.search})`);
  return sql.join(parts, sql` || `);
}

/** The lowest price of product `productId`'s active variants in the scope's currency (kept by triggers in `product_prices`). */
const lowestPriceOf = (productId: SQL, scope: ListingScope) =>
  sql`(select pp.lowest_minor from catalog.product_prices pp where pp.product_id = ${productId} and pp.currency = ${scope.currency})`;

function sortSpec(sort: ProductSort, scope: ListingScope): SortSpec {
  const lowestPrice = lowestPriceOf(sql`p.id`, scope);
  switch (sort) {
    case 'PRICE_ASC':
      return { key: sql`coalesce(${lowestPrice}, ${LARGEST_BIGINT}::bigint)`, type: 'bigint', descending: false };
    case 'PRICE_DESC':
      return { key: sql`coalesce(${lowestPrice}, -1)`, type: 'bigint', descending: true };
    case 'NAME':
      return {
        key: sql`coalesce((select t.name from catalog.product_translations t where t.product_id = p.id and t.locale = any(${texts(scope.chain)})
          order by array_position(${texts(scope.chain)}, t.locale) limit 1), '')`,
        type: 'text',
        descending: false,
      };
    case 'RELEVANCE':
      if (scope.filter.search) return { key: sql`score`, type: 'float8', descending: true };
      return { key: sql`p.id`, type: 'uuid', descending: true };
    case 'NEWEST':
      return { key: sql`p.id`, type: 'uuid', descending: true };
  }
}

/**
 * `with recursive …, matches(id[, k])`: the active products the filter selects. A search ranks its
 * matches only when `ranked` (the RELEVANCE order); counts and other orders leave the rank out.
 */
function matching(scope: ListingScope, sortKey: SQL | null, ranked = false): SQL {
  const { filter } = scope;
  const ctes: SQL[] = [];
  let from = sql`catalog.products p`;
  const conditions: SQL[] = [];
  if (filter.categoryIds) {
    conditions.push(sql`p.category_id = any(${ids(filter.categoryIds)})`);
  }
  if (filter.search) {
    // Full-text matches, ranked with the name weighted over the description; only when there are none,
    // the same search with each word replaced by the most similar word of any product name (a typo:
    // "moutain bike" searches "mountain bike"). Trigram similarity runs over the few thousand words of
    // `search_words`, not over every name, which would match far more loosely and cost a recheck per row.
    const rank = (query: SQL) => (ranked ? sql`ts_rank(t.search, ${query})` : sql`0::real`);
    const corrected = (text: SQL) => sql.join(scope.searchConfigs.map((config) => sql`plainto_tsquery(${config}::regconfig, ${text})`), sql` || `);
    // A product has one translation per locale, so with one locale in the chain each hit is a product of
    // its own and the hits need no grouping (3,000 matches: 1-2 ms). `query` is materialized: inlined, a
    // generic plan (a statement prepared and run often) parses the search text again for every matching
    // row (3,000 matches: 25 ms instead of 9).
    const products = scope.chain.length === 1 ? sql`select product_id, score from hits` : sql`select product_id, max(score) from hits group by product_id`;
    ctes.push(sql`query as materialized (select ${tsQuery(scope)} as q),
      direct as (
        select t.product_id, ${rank(sql`query.q`)} as score
        from catalog.product_translations t, query
        where t.locale = any(${texts(scope.chain)}) and t.search @@ query.q),
      corrected as (
        select ${corrected(sql`string_agg(coalesce((select w.word from catalog.search_words w where w.word % typed.word
            order by similarity(w.word, typed.word) desc, w.word limit 1), typed.word), ' ' order by typed.position)`)} as q
        from (select lexeme as word, positions[1] as position from unnest(to_tsvector('simple', ${filter.search}))) typed
        where not exists (select 1 from direct)),
      hits as (
        select product_id, score from direct
        union all
        select t.product_id, ${rank(sql`corrected.q`)}
        from corrected, catalog.product_translations t
        where not exists (select 1 from direct) and t.locale = any(${texts(scope.chain)}) and t.search @@ corrected.q),
      s (product_id, score) as (${products})`);
    // With a search, the matches drive. Only a category filter needs each product's row (looked up by
    // id; OFFSET 0 keeps the planner from hashing the whole table); otherwise the few hidden products
    // are left out as one set, instead of a lookup per match (3,000 matches: 8 ms).
    if (filter.categoryIds) {
      from = sql`s cross join lateral (select * from catalog.products p where p.id = s.product_id offset 0) p`;
      conditions.push(sql`p.status = 'active'`);
    } else {
      from = sql`s as p (id, score)`;
      conditions.push(sql`p.id not in (select u.id from catalog.products u where u.status <> 'active')`);
    }
  } else {
    conditions.push(sql`p.status = 'active'`);
  }
  if (filter.collectionId) {
    // An archived collection is not listed: its filter matches nothing.
    conditions.push(sql`exists (select 1 from catalog.collection_products cp join catalog.collections c on c.id = cp.collection_id and c.status = 'active'
      where cp.collection_id = ${filter.collectionId}::uuid and cp.product_id = p.id)`);
  }
  if (filter.priceMin !== null || filter.priceMax !== null) {
    conditions.push(sql`exists (select 1 from catalog.variants v join catalog.variant_prices vp on vp.variant_id = v.id
      where v.product_id = p.id and v.status = 'active' and vp.currency = ${scope.currency}
      and vp.amount_minor >= ${(filter.priceMin ?? 0n).toString()}::bigint and vp.amount_minor <= ${(filter.priceMax ?? BigInt(LARGEST_BIGINT)).toString()}::bigint)`);
  }
  if (filter.inStock !== null) {
    const inStock = sql`exists (select 1 from catalog.variants v join catalog.variant_stock vs on vs.variant_id = v.id
      where v.product_id = p.id and v.status = 'active' and vs.in_stock)`;
    conditions.push(filter.inStock ? inStock : sql`not ${inStock}`);
  }
  for (const option of filter.options) {
    conditions.push(sql`exists (select 1 from catalog.variants v
      join catalog.variant_option_values vov on vov.variant_id = v.id
      join catalog.option_values ov on ov.id = vov.option_value_id
      join catalog.option_groups og on og.id = ov.group_id
      where v.product_id = p.id and v.status = 'active' and og.code = ${option.group} and ov.code = any(${texts(option.values)}))`);
  }
  ctes.push(sql`matches as (select p.id${sortKey ? sql`, ${sortKey} as k` : sql``} from ${from} where ${sql.join(conditions, sql` and `)})`);
  return sql`with recursive ${sql.join(ctes, sql`, `)}`;
}

const PRODUCT_COLUMNS = sql`p.id, p.category_id as "categoryId", p.status, p.created_at as "createdAt",
  coalesce((select json_agg(json_build_object('locale', t.locale, 'name', t.name, 'slug', t.slug, 'description', t.description) order by t.locale)
    from catalog.product_translations t where t.product_id = p.id), '[]') as translations,
  coalesce((select json_agg(json_build_object('id', i.id, 'url', i.url, 'width', i.width, 'height', i.height, 'alt', i.alt) order by i.position, i.id)
    from catalog.product_images i where i.product_id = p.id), '[]') as images`;

const VARIANT_COLUMNS = sql`v.id, v.product_id as "productId", v.sku, v.status,
  coalesce((select json_agg(json_build_object('currency', vp.currency, 'amountMinor', vp.amount_minor::text) order by vp.currency)
    from catalog.variant_prices vp where vp.variant_id = v.id), '[]') as prices,
  coalesce((select json_agg(json_build_object('id', ov.id, 'code', ov.code, 'names', ov.names, 'groupId', og.id, 'groupCode', og.code, 'groupNames', og.names)
      order by og.position, og.code)
    from catalog.variant_option_values vov join catalog.option_values ov on ov.id = vov.option_value_id join catalog.option_groups og on og.id = ov.group_id
    where vov.variant_id = v.id), '[]') as options`;

type ProductRowOut = Omit<Product, 'createdAt'> & { createdAt: Date | string };

/** One product of a page: its sort key (for the cursor), its row, and `exactLowestPrice` in the page's currency. */
export interface PageRow {
  key: string;
  product: Product;
  exactLowestMinor: bigint | null;
}

/**
 * The lowest price of a product's active variants in `currency` (from `product_prices`), but only where
 * every active variant has a price in that currency; otherwise null, and the lowest price needs the
 * variants (some are converted from another currency).
 */
const exactLowestPrice = (productId: SQL, currency: string) => sql`(select pp.lowest_minor::text from catalog.product_prices pp
  where pp.product_id = ${productId} and pp.currency = ${currency}
  and not exists (select 1 from catalog.variants v where v.product_id = ${productId} and v.status = 'active'
    and not exists (select 1 from catalog.variant_prices vp where vp.variant_id = v.id and vp.currency = ${currency})))`;

export function createProductsRepository({ db }: { db: CatalogDb }) {
  return {
    /** Products by id, with every translation and image: one statement for a whole batch. */
    async byIds(productIds: readonly string[]): Promise<Product[]> {
      if (productIds.length === 0) return [];
      const rows = (await db.execute(sql`select ${PRODUCT_COLUMNS} from catalog.products p where p.id = any(${ids(productIds)})`)) as unknown as ProductRowOut[];
      return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
    },

    /** The variants of products, in the admin's order, with prices and option values: one statement per batch. */
    async variantsOfProducts(productIds: readonly string[]): Promise<Variant[]> {
      if (productIds.length === 0) return [];
      const rows = await db.execute(sql`select ${VARIANT_COLUMNS} from catalog.variants v where v.product_id = any(${ids(productIds)}) order by v.product_id, v.position, v.id`);
      return [...rows] as unknown as Variant[];
    },

    /** Variants by id: one statement per batch (`_entities`). */
    async variantsByIds(variantIds: readonly string[]): Promise<Variant[]> {
      if (variantIds.length === 0) return [];
      const rows = await db.execute(sql`select ${VARIANT_COLUMNS} from catalog.variants v where v.id = any(${ids(variantIds)})`);
      return [...rows] as unknown as Variant[];
    },

    /** The product a slug names (or named) in the first locale of `chain` that has it. */
    async idBySlug(slug: string, chain: readonly string[]): Promise<string | null> {
      const [row] = await db.execute<{ id: string }>(sql`select product_id as id from catalog.product_slugs
        where slug = ${slug} and locale = any(${texts(chain)}) order by array_position(${texts(chain)}, locale) limit 1`);
      return row?.id ?? null;
    },

    /**
     * One page of the products the scope selects, in `sort` order, how many there are in all, and each
     * product of the page with its lowest price in the scope's currency: one statement. Keyset paging on
     * (sort key, id), so a cursor stays valid while its product does.
     */
    async page(scope: ListingScope, query: PageQuery): Promise<{ rows: PageRow[]; total: number }> {
      const spec = sortSpec(query.sort, scope);
      const descending = spec.descending !== query.backward;
      const direction = descending ? sql`desc` : sql`asc`;
      const bound = query.after
        ? sql`where (k, id) ${descending ? sql`<` : sql`>`} (${query.after.key}::${sql.raw(spec.type)}, ${query.after.id}::uuid)`
        : sql``;
      const rows = (await db.execute(sql`${matching(scope, spec.key, query.sort === 'RELEVANCE')},
        page as (select id, k from matches ${bound} order by k ${direction}, id ${direction} limit ${query.limit})
        select page.k::text as key, (select count(*) from matches)::int as total, ${PRODUCT_COLUMNS}, ${exactLowestPrice(sql`p.id`, scope.currency)} as "exactLowestMinor"
        from page join catalog.products p on p.id = page.id
        order by page.k ${direction}, page.id ${direction}`)) as unknown as (ProductRowOut & { key: string; total: number; exactLowestMinor: string | null })[];
      const total = rows[0]?.total ?? (query.after ? await this.count(scope) : 0);
      return {
        rows: rows.map(({ key, total: _total, exactLowestMinor, ...product }) => ({
          key,
          product: { ...product, createdAt: new Date(product.createdAt) },
          exactLowestMinor: exactLowestMinor === null ? null : BigInt(exactLowestMinor),
        })),
        total,
      };
    },

    /** `exactLowestPrice` of each product (null where the currency does not price every active variant): one statement. */
    async exactLowestPrices(productIds: readonly string[], currency: string): Promise<Map<string, bigint | null>> {
      if (productIds.length === 0) return new Map();
      const rows = await db.execute<{ id: string; lowest: string | null }>(sql`select p.id, ${exactLowestPrice(sql`p.id`, currency)} as lowest
        from unnest(${ids(productIds)}) as p(id)`);
      return new Map(rows.map((row) => [row.id, row.lowest === null ? null : BigInt(row.lowest)]));
    },

    async count(scope: ListingScope): Promise<number> {
      const [row] = await db.execute<{ total: number }>(sql`${matching(scope, null)} select count(*)::int as total from matches`);
      return row?.total ?? 0;
    },

    /**
     * Counts of the matching products per category, option value and price band (`bands` are the
     * lower bounds in minor units of the scope's currency, ascending): one statement.
     */
    async facets(scope: ListingScope, bands: readonly bigint[]): Promise<{ kind: 'category' | 'option' | 'band'; key: string; count: number }[]> {
      const bounds = sql`${sql.param(bands.map(String))}::bigint[]`;
      return [
        ...(await db.execute<{ kind: 'category' | 'option' | 'band'; key: string; count: number }>(sql`${matching(scope, null)}
        select 'category' as kind, p.category_id::text as key, count(*)::int as count
          from matches m join catalog.products p on p.id = m.id where p.category_id is not null group by p.category_id
        union all
        select 'option', json_build_object('id', ov.id, 'code', ov.code, 'names', ov.names, 'groupId', og.id, 'groupCode', og.code, 'groupNames', og.names)::text,
          count(distinct m.id)::int
          from matches m join catalog.variants v on v.product_id = m.id and v.status = 'active'
          join catalog.variant_option_values vov on vov.variant_id = v.id
          join catalog.option_values ov on ov.id = vov.option_value_id join catalog.option_groups og on og.id = ov.group_id
          group by ov.id, og.id
        union all
        select 'band', band::text, count(*)::int from (
          select width_bucket(${lowestPriceOf(sql`m.id`, scope)}, ${bounds}) as band from matches m) prices
          where band is not null group by band`)),
      ];
    },
  };
}

export type { ProductFilter };
