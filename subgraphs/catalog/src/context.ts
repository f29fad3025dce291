import DataLoader from 'dataloader';
import type { CategoryRow, CollectionRow } from '@meridian/db/catalog';
import { fallbackChain, type RequestBase } from '@meridian/platform';
import type { AdminUseCases } from './admin/admin.usecases.js';
import type { CategoriesRepository } from './categories/categories.repository.js';
import { visibleCategories } from './categories/visibility.rules.js';
import type { ExchangeRateLookup } from './prices/exchange-rates.client.js';
import { createPriceReader, type PriceReader } from './prices/prices.usecases.js';
import type { Product, Variant } from './products/products.model.js';
import type { ProductsRepository } from './products/products.repository.js';
import type { ProductUseCases } from './products/products.usecases.js';

/** Per-request batching: each loader is one SQL statement per batch of keys. */
export interface CatalogLoaders {
  product: DataLoader<string, Product | null>;
  variantsOfProduct: DataLoader<string, Variant[]>;
  /** A product's lowest price in the request's currency where every active variant has one there, else null (see `fromPrice`). */
  exactLowestPrice: DataLoader<string, bigint | null>;
  variant: DataLoader<string, Variant | null>;
  /** The category tree shoppers see (no archived category, nothing below one), read once per request when a field needs it. */
  categories: () => Promise<CategoryRow[]>;
  /** The collections shoppers see (none archived), read once per request when a field needs them. */
  collections: () => Promise<CollectionRow[]>;
}

/** Everything a resolver of the catalog subgraph may use, built once per request. */
export interface CatalogContext extends RequestBase {
  /** The request's locale, then the shorter tags, then the shop's default locale. */
  chain: string[];
  products: ProductUseCases;
  admin: AdminUseCases;
  loaders: CatalogLoaders;
  prices: PriceReader;
}

export interface CatalogDependencies {
  products: ProductUseCases;
  admin: AdminUseCases;
  productsRepository: ProductsRepository;
  categories: CategoriesRepository;
  exchangeRates: ExchangeRateLookup;
  /** The shop's default locale (`Shop.defaultLocale`) as last read: the last step of each fallback chain. */
  defaultLocale: () => string;
}

const once = <T>(load: () => Promise<T>) => {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
};

export function createCatalogContext(base: RequestBase, deps: CatalogDependencies): CatalogContext {
  const repository = deps.productsRepository;
  const loaders: CatalogLoaders = {
    product: new DataLoader(async (ids) => {
      const byId = new Map((await repository.byIds(ids)).map((product) => [product.id, product]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    variantsOfProduct: new DataLoader(async (ids) => {
      const variants = await repository.variantsOfProducts(ids);
      return ids.map((id) => variants.filter((variant) => variant.productId === id));
    }),
    exactLowestPrice: new DataLoader(async (ids) => {
      const lowest = await repository.exactLowestPrices(ids, base.localization.currency);
      return ids.map((id) => lowest.get(id) ?? null);
    }),
    variant: new DataLoader(async (ids) => {
      const byId = new Map((await repository.variantsByIds(ids)).map((variant) => [variant.id, variant]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    categories: once(async () => visibleCategories(await deps.categories.all())),
    collections: once(() => deps.categories.listedCollections()),
  };
  return {
    ...base,
    chain: fallbackChain(base.localization.locale, deps.defaultLocale()),
    products: deps.products,
    admin: deps.admin,
    loaders,
    prices: createPriceReader({ currency: base.localization.currency, exchangeRates: deps.exchangeRates }),
  };
}
