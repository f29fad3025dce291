import { parse } from 'graphql';
import { isReachable, type Sql } from '@meridian/db';
import {
  createRouterTokenVerifier,
  jsonReply,
  readSubgraphSdl,
  routerOnlyRoute,
  SHOP_SETTINGS_PATH,
  startSubgraph,
  type CloseOptions,
  type CommonConfig,
  type Logger,
  type RouterVerificationKeys,
  type RunningSubgraph,
} from '@meridian/platform';
import type { LocalizationConfig } from './config.js';
import type { LocalizationContext } from './context.js';
import { createLocalizationDb } from './db.js';
import { createMessagesRepository } from './messages/messages.repository.js';
import { createMessageUseCases } from './messages/messages.usecases.js';
import { createRatesRepository } from './rates/rates.repository.js';
import { scheduleRateImports } from './rates/rates.scheduler.js';
import { createRateUseCases } from './rates/rates.usecases.js';
import { resolvers } from './resolvers/index.js';
import { createShopRepository } from './shop/shop.repository.js';
import { createShopUseCases } from './shop/shop.usecases.js';

export { readLocalizationConfig, type LocalizationConfig } from './config.js';
export { parseEcbReferenceRates } from './rates/ecb.parser.js';
export type { ImportReport } from './rates/rates.usecases.js';

export const LOCALIZATION_SUBGRAPH = 'localization';

export const LOCALIZATION_SCHEMA_FILE = new URL('../schema.graphql', import.meta.url);

export interface LocalizationServiceOptions {
  common: CommonConfig;
  config: LocalizationConfig;
  sql: Sql;
  logger: Logger;
  routerKeys: RouterVerificationKeys;
}

/** The use cases without a server, for command-line tools (`pnpm fx:import`). */
export function createLocalizationUseCases(sql: Sql) {
  const db = createLocalizationDb(sql);
  const shop = createShopUseCases({ db, shop: createShopRepository({ db }) });
  const rates = createRateUseCases({ db, rates: createRatesRepository({ db }), shop });
  const messages = createMessageUseCases({ db, messages: createMessagesRepository({ db }), shop });
  return { shop, rates, messages };
}

export async function startLocalizationService(options: LocalizationServiceOptions): Promise<RunningSubgraph> {
  const { common, config, logger } = options;
  const useCases = createLocalizationUseCases(options.sql);
  const scheduler = config.fxRatesUrl
    ? scheduleRateImports({ url: config.fxRatesUrl, intervalMinutes: config.fxRatesIntervalMinutes, rates: useCases.rates, log: logger.child({ component: 'fx-rates' }) })
    : null;

  const subgraph = await startSubgraph<LocalizationContext>({
    name: LOCALIZATION_SUBGRAPH,
    typeDefs: parse(await readSubgraphSdl(LOCALIZATION_SCHEMA_FILE)),
    resolvers,
    common,
    port: config.port,
    logger,
    routerKeys: options.routerKeys,
    isReady: () => isReachable(options.sql),
    createContext: (base) => ({ ...base, ...useCases }),
    routes: {
      // The router resolves every request's locale and currency against these (README "Localization").
      [SHOP_SETTINGS_PATH]: routerOnlyRoute(createRouterTokenVerifier({ keys: options.routerKeys, subgraph: LOCALIZATION_SUBGRAPH }), async () =>
        jsonReply(200, await useCases.shop.settings()),
      ),
    },
  });
  return {
    ...subgraph,
    close: async (closeOptions?: CloseOptions) => {
      scheduler?.stop();
      await subgraph.close(closeOptions);
    },
  };
}
