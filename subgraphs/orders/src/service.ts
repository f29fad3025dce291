import { parse } from 'graphql';
import { isReachable, type Sql } from '@meridian/db';
import {
  createGraphOperation,
  createServiceTokenSource,
  readSubgraphSdl,
  startSubgraph,
  withServiceToken,
  type CloseOptions,
  type CommonConfig,
  type Logger,
  type RouterVerificationKeys,
  type RunningSubgraph,
  type ServiceTokenSource,
} from '@meridian/platform';
import { loadPersistedQueryManifest } from '@meridian/schema';
import { createCheckoutUseCases } from './checkout/checkout.usecases.js';
import { createCheckoutsRepository } from './checkout/checkouts.repository.js';
import { killAt } from './checkout/fault.js';
import type { OrdersConfig } from './config.js';
import { createOrdersContext, type OrdersContext, type OrdersUseCaseSet } from './context.js';
import { createOrdersDb } from './db.js';
import { createOrderEventsRepository } from './events/order-events.repository.js';
import { createOrderEventFeedUseCases } from './events/order-events.usecases.js';
import { createCartCloser, createCartReader } from './graph/cart.client.js';
import { createPriceReader } from './graph/catalog-prices.client.js';
import { createStockPort } from './graph/inventory.client.js';
import { scheduleOrderJobs } from './jobs/orders.jobs.js';
import { createOrdersRepository } from './orders/orders.repository.js';
import { createOrderUseCases } from './orders/orders.usecases.js';
import { resolvers } from './resolvers/index.js';

export { readOrdersConfig, type OrdersConfig } from './config.js';

export const ORDERS_SUBGRAPH = 'orders';

export const ORDERS_SCHEMA_FILE = new URL('../schema.graphql', import.meta.url);

/** What the graph's calls of a checkout may take before the checkout gives up (a reservation queues behind others). */
const GRAPH_TIMEOUT_MS = 10_000;

export interface OrdersServiceOptions {
  common: CommonConfig;
  config: OrdersConfig;
  sql: Sql;
  logger: Logger;
  routerKeys: RouterVerificationKeys;
  /** The router's URL, when it is only known after the subgraph started (`pnpm start`). */
  routerUrl?: () => string;
  /** The service's own token (the `checkout` role): by default from `SERVICE_CLIENT_ID` and `SERVICE_CLIENT_SECRET`. */
  serviceToken?: ServiceTokenSource;
}

export async function startOrdersService(options: OrdersServiceOptions): Promise<RunningSubgraph> {
  const { common, config, logger } = options;
  const db = createOrdersDb(options.sql);
  const manifest = await loadPersistedQueryManifest();
  const routerUrl = options.routerUrl ?? (() => config.routerUrl);
  const serviceToken =
    options.serviceToken ??
    (config.serviceCredentials ? createServiceTokenSource({ ...config.serviceCredentials, routerUrl, manifest, log: logger.child({ component: 'service-token' }) }) : undefined);
  const token = async () => {
    // Without its identity the service cannot reserve stock: a checkout is then unavailable, not wrong.
    if (!serviceToken) throw new Error('the orders service has no service identity (SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET)');
    return serviceToken();
  };
  const graph = (name: string) => withServiceToken(createGraphOperation({ routerUrl, manifest, timeoutMs: GRAPH_TIMEOUT_MS }, name), token, (refused) => serviceToken?.forget(refused));
  if (!serviceToken) logger.warn('SERVICE_CLIENT_ID and SERVICE_CLIENT_SECRET are not set: checkouts cannot reserve stock and fail');

  const stock = createStockPort({ reserve: graph('Reserve'), release: graph('Release'), commit: graph('Commit') });
  const checkouts = createCheckoutsRepository({ db });
  const ordersRepository = createOrdersRepository({ db });
  const fault = killAt(config.faultStep);
  const useCases: OrdersUseCaseSet = {
    checkout: createCheckoutUseCases({
      db,
      checkouts,
      orders: ordersRepository,
      readCart: createCartReader(graph('CheckoutCart')),
      readPrices: createPriceReader(graph('OrderVariantPrices')),
      stock,
      closeCart: createCartCloser(graph('CloseCheckedOutCart')),
      // The stock stays held while the payment window closes, and a little longer, then goes back by itself.
      reservationTtlSeconds: config.paymentWindowMinutes * 60 + config.reservationMarginSeconds,
      leaseMs: config.checkoutLeaseMs,
      waitMs: config.checkoutWaitMs,
      log: logger.child({ component: 'checkout' }),
      ...(fault ? { fault } : {}),
    }),
    orders: createOrderUseCases({ db, orders: ordersRepository, stock, log: logger.child({ component: 'orders' }) }),
    orderEvents: createOrderEventFeedUseCases({ events: createOrderEventsRepository({ db }) }),
  };
  const jobs = scheduleOrderJobs({
    intervalMs: config.recoveryIntervalMs,
    recover: () => useCases.checkout.recover(),
    cancelUnpaid: () => useCases.orders.cancelUnpaid(config.paymentWindowMinutes),
    log: logger.child({ component: 'order-jobs' }),
  });

  const subgraph = await startSubgraph<OrdersContext>({
    name: ORDERS_SUBGRAPH,
    typeDefs: parse(await readSubgraphSdl(ORDERS_SCHEMA_FILE)),
    resolvers,
    common,
    port: config.port,
    logger,
    routerKeys: options.routerKeys,
    isReady: () => isReachable(options.sql),
    createContext: (base) => createOrdersContext(base, useCases),
  });
  return {
    ...subgraph,
    close: async (closeOptions?: CloseOptions) => {
      await jobs.stop();
      await subgraph.close(closeOptions);
    },
  };
}
