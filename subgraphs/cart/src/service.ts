import { parse } from 'graphql';
import { isReachable, type Sql } from '@meridian/db';
import {
  createGraphOperation,
  createServiceTokenSource,
  readSubgraphSdl,
  startSubgraph,
  type CloseOptions,
  type CommonConfig,
  type Logger,
  type RouterVerificationKeys,
  type RunningSubgraph,
  type ServiceTokenSource,
} from '@meridian/platform';
import { loadPersistedQueryManifest } from '@meridian/schema';
import { createCartAddressUseCases } from './addresses/cart-addresses.usecases.js';
import { createCartsRepository } from './carts/carts.repository.js';
import { createCartUseCases } from './carts/carts.usecases.js';
import { createCartCheckoutUseCases } from './checkout/cart-checkout.usecases.js';
import type { CartConfig } from './config.js';
import { createCartContext, type CartContext, type CartUseCaseSet } from './context.js';
import { createCartDb } from './db.js';
import { createDiscountsRepository } from './discounts/discounts.repository.js';
import { createDiscountUseCases } from './discounts/discounts.usecases.js';
import { createAccountErasureUseCases } from './erasure/account-erasure.usecases.js';
import { createAddressBookEntry } from './graph/address-book.client.js';
import { createCatalogOffers } from './graph/catalog-offers.client.js';
import { createStockQuantities, type StockQuantities } from './graph/stock-levels.client.js';
import { scheduleHousekeeping } from './housekeeping/housekeeping.job.js';
import { createMergeUseCases } from './merge/merge.usecases.js';
import { resolvers } from './resolvers/index.js';
import { createShippingRepository } from './shipping/shipping.repository.js';
import { createShippingUseCases } from './shipping/shipping.usecases.js';

export { readCartConfig, type CartConfig } from './config.js';
export type { StockQuantities } from './graph/stock-levels.client.js';

export const CART_SUBGRAPH = 'cart';

export const CART_SCHEMA_FILE = new URL('../schema.graphql', import.meta.url);

export interface CartServiceOptions {
  common: CommonConfig;
  config: CartConfig;
  sql: Sql;
  logger: Logger;
  routerKeys: RouterVerificationKeys;
  /** The router's URL, when it is only known after the subgraph started (`pnpm start`). */
  routerUrl?: () => string;
  /**
   * The cart's own access token for the stock levels it may read (the checkout's role): by default from the
   * auth service with `SERVICE_CLIENT_ID` and `SERVICE_CLIENT_SECRET`, none without them. Tests give one.
   */
  serviceToken?: ServiceTokenSource;
}

export async function startCartService(options: CartServiceOptions): Promise<RunningSubgraph> {
  const { common, config, logger } = options;
  const db = createCartDb(options.sql);
  const manifest = await loadPersistedQueryManifest();
  const routerUrl = options.routerUrl ?? (() => config.routerUrl);
  const graph = (name: string) => createGraphOperation({ routerUrl, manifest }, name);
  const serviceToken =
    options.serviceToken ??
    (config.serviceCredentials ? createServiceTokenSource({ ...config.serviceCredentials, routerUrl, manifest, log: logger.child({ component: 'service-token' }) }) : undefined);
  const catalog = createCatalogOffers({ prices: graph('CartVariantPrices'), offers: graph('CartVariantOffers') });
  const stock: StockQuantities = createStockQuantities({ send: graph('CartStockLevels'), token: serviceToken, log: logger.child({ component: 'stock-levels' }) });
  const carts = createCartsRepository({ db });
  const shipping = createShippingRepository({ db });
  const useCases: CartUseCaseSet = {
    carts: createCartUseCases({ db, carts, catalog, stock, log: logger }),
    merge: createMergeUseCases({ db, carts, catalog, stock, log: logger }),
    addresses: createCartAddressUseCases({ db, carts, shipping, addressBook: createAddressBookEntry(graph('CartAddressBookEntry')), log: logger }),
    shipping: createShippingUseCases({ db, carts, shipping }),
    discounts: createDiscountUseCases({ db, carts, discounts: createDiscountsRepository({ db }) }),
    erasure: createAccountErasureUseCases({ db, carts }),
    checkout: createCartCheckoutUseCases({ db, carts }),
  };
  const housekeeping = scheduleHousekeeping({
    intervalMs: config.housekeepingIntervalMs,
    deleteExpired: () => carts.deleteExpired(config.guestCartRetentionDays),
    log: logger.child({ component: 'cart-housekeeping' }),
  });

  const subgraph = await startSubgraph<CartContext>({
    name: CART_SUBGRAPH,
    typeDefs: parse(await readSubgraphSdl(CART_SCHEMA_FILE)),
    resolvers,
    common,
    port: config.port,
    logger,
    routerKeys: options.routerKeys,
    isReady: () => isReachable(options.sql),
    createContext: (base, relayed) => createCartContext(base, relayed, useCases),
  });
  return {
    ...subgraph,
    close: async (closeOptions?: CloseOptions) => {
      housekeeping.stop();
      await subgraph.close(closeOptions);
    },
  };
}
