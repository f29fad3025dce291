import { MoneyError, currency as currencyInfo, parseMoney } from '@meridian/money';
import { badUserInputError, isUuid } from '@meridian/platform';
import { cursorOf, keysetOf } from './cursor.rules.js';
import type { ListingScope, ProductEdge, ProductFilter, ProductSort, VariantOption } from './products.model.js';
import type { ProductsRepository } from './products.repository.js';
import { searchConfigFor } from './search-config.rules.js';

const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;
/** The longest search text taken; longer text is cut (a search box, not a document). */
const MAX_SEARCH = 200;
/** Lower bounds of the price bands, in major units of the request's currency. */
export const PRICE_BANDS = [0, 10, 25, 50, 100, 250, 500, 1000];

export interface ProductPageArgs {
  filter?: {
    categoryId?: string | null;
    collectionId?: string | null;
    search?: string | null;
    priceRange?: { min?: string | null; max?: string | null } | null;
    inStock?: boolean | null;
    options?: readonly { group: string; values: readonly string[] }[] | null;
  } | null;
  sort?: ProductSort | null;
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** A page of the `products` connection; the scope stays with it for `facets`. */
export interface ProductPage {
  edges: ProductEdge[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
  scope: ListingScope | null;
}

export type ProductUseCases = ReturnType<typeof createProductUseCases>;

function pageSize(value: number | null | undefined, argument: 'first' | 'last'): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE) throw badUserInputError(`${argument} must be between 0 and ${MAX_PAGE}`);
  return value;
}

function minorUnits(amount: string | null | undefined, currency: string, field: string): bigint | null {
  if (amount === null || amount === undefined) return null;
  try {
    return parseMoney(amount, currency, { rounding: 'halfEven' }).minorUnits;
  } catch (error) {
    if (error instanceof MoneyError) throw badUserInputError(`filter.priceRange.${field}: ${error.message}`);
    throw error;
  }
}

/** An id that cannot name anything (not a UUID) matches nothing rather than failing the query. */
const NO_MATCH = '00000000-0000-0000-0000-000000000000';
const idOrNoMatch = (id: string | null | undefined) => (id ? (isUuid(id) ? id.toLowerCase() : NO_MATCH) : null);

/** The categories a category filter covers: the category and all below it (`[]` for an unknown one). */
export type CategorySubtree = (categoryId: string) => Promise<string[]>;

export function createProductUseCases(deps: { products: ProductsRepository; subtree: CategorySubtree }) {
  const { products } = deps;

  async function scopeOf(args: ProductPageArgs, request: { chain: string[]; currency: string }): Promise<ListingScope> {
    const given = args.filter ?? {};
    const search = given.search?.trim().slice(0, MAX_SEARCH) || null;
    const categoryId = idOrNoMatch(given.categoryId);
    const filter: ProductFilter = {
      categoryIds: categoryId ? await deps.subtree(categoryId) : null,
      collectionId: idOrNoMatch(given.collectionId),
      search,
      priceMin: minorUnits(given.priceRange?.min, request.currency, 'min'),
      priceMax: minorUnits(given.priceRange?.max, request.currency, 'max'),
      options: (given.options ?? []).map((option) => ({ group: option.group, values: [...option.values] })),
      inStock: given.inStock ?? null,
    };
    return { filter, currency: request.currency, chain: request.chain, searchConfigs: [...new Set(request.chain.map(searchConfigFor))] };
  }

  return {
    /**
     * Relay cursor pagination over the matching products (the algorithm of the Relay Cursor
     * Connections spec): `after`/`before` bound the range, `first` takes from its start, `last` from
     * its end. The page, the total and the page's products (with their lowest prices) are one statement.
     */
    async list(args: ProductPageArgs, request: { chain: string[]; currency: string }): Promise<ProductPage> {
      const first = pageSize(args.first, 'first');
      const last = pageSize(args.last, 'last');
      if (first !== null && last !== null) throw badUserInputError('Pass first or last, not both');
      const backward = last !== null;
      const size = backward ? last : (first ?? DEFAULT_PAGE);
      const after = args.after ? keysetOf(args.after, 'after') : null;
      const before = args.before ? keysetOf(args.before, 'before') : null;
      const scope = await scopeOf(args, request);
      const sort = args.sort ?? 'RELEVANCE';

      const { rows, total } = await products.page(scope, { sort, backward, after: backward ? before : after, limit: size + 1 });
      const more = rows.length > size;
      const page = rows.slice(0, size);
      if (backward) page.reverse();
      const edges = page.map((row) => ({ cursor: cursorOf({ key: row.key, id: row.product.id }), productId: row.product.id, product: row.product, exactLowestMinor: row.exactLowestMinor }));
      return {
        edges,
        pageInfo: {
          // Towards the requested end the answer is exact; on the far side of a cursor, that the cursor's product lies there.
          hasNextPage: backward ? before !== null : more,
          hasPreviousPage: backward ? more : after !== null,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
        totalCount: total,
        scope,
      };
    },

    /** Counts per category, option value and price band over the products the page's filter selects. */
    async facets(scope: ListingScope) {
      const factor = 10n ** BigInt(currencyInfo(scope.currency).digits);
      const bounds = PRICE_BANDS.map((major) => BigInt(major) * factor);
      const rows = await products.facets(scope, bounds);
      return {
        categories: rows.filter((row) => row.kind === 'category').map((row) => ({ categoryId: row.key, count: row.count })),
        options: rows.filter((row) => row.kind === 'option').map((row) => ({ value: JSON.parse(row.key) as VariantOption, count: row.count })),
        priceBands: rows
          .filter((row) => row.kind === 'band')
          .map((row) => {
            const index = Number(row.key) - 1;
            return { min: { minorUnits: bounds[index]!, currency: scope.currency }, max: bounds[index + 1] === undefined ? null : { minorUnits: bounds[index + 1]!, currency: scope.currency }, count: row.count };
          })
          .sort((a, b) => (a.min.minorUnits < b.min.minorUnits ? -1 : 1)),
      };
    },

    /** The id of the product a slug names or named, along the request's fallback chain. */
    idBySlug: (slug: string, chain: string[]) => products.idBySlug(slug, chain),
  };
}

export type ProductFacets = Awaited<ReturnType<ProductUseCases['facets']>>;
export type CategoryFacet = ProductFacets['categories'][number];
