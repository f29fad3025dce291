import { parse } from 'graphql';
import { isReachable, type Sql } from '@meridian/db';
import { readSubgraphSdl, startSubgraph, type CloseOptions, type CommonConfig, type Logger, type RouterVerificationKeys, type RunningSubgraph } from '@meridian/platform';
import { loadPersistedQueryManifest } from '@meridian/schema';
import { createAdminRepository } from './admin/admin.repository.js';
import { createAvailabilityFeedReader } from './availability/availability-feed.client.js';
import { createAvailabilityRepository } from './availability/availability.repository.js';
import { startAvailabilityProjection } from './availability/availability.projection.js';
import { createAdminUseCases } from './admin/admin.usecases.js';
import { createCategoriesRepository } from './categories/categories.repository.js';
import { createCategoryTreeCache } from './categories/category-tree.cache.js';
import type { CatalogConfig } from './config.js';
import { createCatalogContext, type CatalogContext } from './context.js';
import { createCatalogDb } from './db.js';
import { createExchangeRateLookup } from './prices/exchange-rates.client.js';
import { createProductsRepository } from './products/products.repository.js';
import { createProductUseCases } from './products/products.usecases.js';
import { resolvers } from './resolvers/index.js';
import { createShopSettingsLookup } from './shop/shop-settings.client.js';

export { readCatalogConfig, type CatalogConfig } from './config.js';
export { explainProductPage } from './products/products.explain.js';

export const CATALOG_SUBGRAPH = 'catalog';

export const CATALOG_SCHEMA_FILE = new URL('../schema.graphql', import.meta.url);

/** How long a replica lists by a category tree it read (another replica's change shows within this). */
export const CATEGORY_TREE_TTL_MS = 10_000;

export interface CatalogServiceOptions {
  common: CommonConfig;
  config: CatalogConfig;
  sql: Sql;
  logger: Logger;
  routerKeys: RouterVerificationKeys;
  /** The router's URL, when it is only known after the subgraph started (`pnpm start`). */
  routerUrl?: () => string;
}

export async function startCatalogService(options: CatalogServiceOptions): Promise<RunningSubgraph> {
  const { common, config, logger } = options;
  const db = createCatalogDb(options.sql);
  const productsRepository = createProductsRepository({ db });
  const categories = createCategoriesRepository({ db });
  const categoryTree = createCategoryTreeCache({ categories, ttlMs: CATEGORY_TREE_TTL_MS });
  const manifest = await loadPersistedQueryManifest();
  const routerUrl = options.routerUrl ?? (() => config.routerUrl);
  const shop = createShopSettingsLookup({ routerUrl, manifest, log: logger.child({ component: 'shop-settings' }) });
  const dependencies = {
    products: createProductUseCases({ products: productsRepository, subtree: categoryTree.subtree }),
    admin: createAdminUseCases({ db, admin: createAdminRepository(), categories, onCategoriesChanged: categoryTree.changed, shopCurrencies: shop.currencies }),
    productsRepository,
    categories,
    exchangeRates: createExchangeRateLookup({
      routerUrl,
      manifest,
      log: logger.child({ component: 'exchange-rates' }),
    }),
    defaultLocale: shop.defaultLocale,
  };

  const subgraph = await startSubgraph<CatalogContext>({
    name: CATALOG_SUBGRAPH,
    typeDefs: parse(await readSubgraphSdl(CATALOG_SCHEMA_FILE)),
    resolvers,
    common,
    port: config.port,
    logger,
    routerKeys: options.routerKeys,
    isReady: () => isReachable(options.sql),
    createContext: (base) => createCatalogContext(base, dependencies),
  });
  const availability = startAvailabilityProjection({
    read: createAvailabilityFeedReader({ routerUrl, manifest }),
    availability: createAvailabilityRepository({ db }),
    intervalMs: config.availabilityPollMs,
    log: logger.child({ component: 'availability-feed' }),
  });
  return {
    ...subgraph,
    close: async (closeOptions?: CloseOptions) => {
      availability.stop();
      await subgraph.close(closeOptions);
    },
  };
}
