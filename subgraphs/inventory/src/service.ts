import { parse } from 'graphql';
import { isReachable, type Sql } from '@meridian/db';
import {
  readSubgraphSdl,
  startSubgraph,
  type CloseOptions,
  type CommonConfig,
  type Logger,
  type RouterVerificationKeys,
  type RunningSubgraph,
} from '@meridian/platform';
import type { InventoryConfig } from './config.js';
import { createLoaders, type InventoryContext } from './context.js';
import { createInventoryDb } from './db.js';
import { scheduleExpiryJob } from './reservations/expiry.job.js';
import { createReservationsRepository } from './reservations/reservations.repository.js';
import { createReservationUseCases } from './reservations/reservations.usecases.js';
import { resolvers } from './resolvers/index.js';
import { createStockRepository } from './stock/stock.repository.js';
import { createStockUseCases } from './stock/stock.usecases.js';

export { readInventoryConfig, type InventoryConfig } from './config.js';
export type { LedgerMismatch } from './stock/stock.model.js';

export const INVENTORY_SUBGRAPH = 'inventory';

export const INVENTORY_SCHEMA_FILE = new URL('../schema.graphql', import.meta.url);

export interface InventoryServiceOptions {
  common: CommonConfig;
  config: InventoryConfig;
  sql: Sql;
  logger: Logger;
  routerKeys: RouterVerificationKeys;
}

/** The use cases without a server, for command-line tools and tests (the ledger check, the demo seed). */
export function createInventoryUseCases(sql: Sql, config: Pick<InventoryConfig, 'lowStockThreshold' | 'reservationTtlSeconds'>) {
  const db = createInventoryDb(sql);
  const stockRepository = createStockRepository({ db });
  const reservations = createReservationUseCases({ db, stock: stockRepository, reservations: createReservationsRepository({ db }), defaultTtlSeconds: config.reservationTtlSeconds });
  const stock = createStockUseCases({ db, stock: stockRepository, lockLevelsReleasingExpired: reservations.lockLevelsReleasingExpired, lowStockThreshold: config.lowStockThreshold });
  return { stock, reservations };
}

export async function startInventoryService(options: InventoryServiceOptions): Promise<RunningSubgraph> {
  const { common, config, logger } = options;
  const useCases = createInventoryUseCases(options.sql, config);
  const expiry = scheduleExpiryJob({ intervalMs: config.expirySweepMs, reservations: useCases.reservations, log: logger.child({ component: 'reservation-expiry' }) });

  const subgraph = await startSubgraph<InventoryContext>({
    name: INVENTORY_SUBGRAPH,
    typeDefs: parse(await readSubgraphSdl(INVENTORY_SCHEMA_FILE)),
    resolvers,
    common,
    port: config.port,
    logger,
    routerKeys: options.routerKeys,
    isReady: () => isReachable(options.sql),
    createContext: (base) => ({ ...base, ...useCases, loaders: createLoaders(useCases.stock) }),
  });
  return {
    ...subgraph,
    close: async (closeOptions?: CloseOptions) => {
      expiry.stop();
      await subgraph.close(closeOptions);
    },
  };
}
