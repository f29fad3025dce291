import { parse } from 'graphql';
import { isReachable, type Sql } from '@meridian/db';
import {
  createRouterTokenVerifier,
  jsonReply,
  PREFERENCES_PATH,
  readSubgraphSdl,
  routerOnlyRoute,
  startSubgraph,
  type CommonConfig,
  type Logger,
  type RouterVerificationKeys,
  type RunningSubgraph,
} from '@meridian/platform';
import { countryCodesOf, createAddressFormatUseCases } from './addresses/address-format.usecases.js';
import { createAddressesRepository } from './addresses/addresses.repository.js';
import { createAddressUseCases } from './addresses/addresses.usecases.js';
import type { UsersConfig } from './config.js';
import { createLoaders, type UsersContext } from './context.js';
import { createUsersDb } from './db.js';
import { createAccountErasureUseCases } from './erasure/account-erasure.usecases.js';
import { createIdempotencyRepository } from './idempotency/idempotency.repository.js';
import { createProfileUseCases } from './profile/profile.usecases.js';
import { createProfilesRepository } from './profile/profiles.repository.js';
import { resolvers } from './resolvers/index.js';

export { readUsersConfig, type UsersConfig } from './config.js';

export const USERS_SUBGRAPH = 'users';

export const USERS_SCHEMA_FILE = new URL('../schema.graphql', import.meta.url);

export interface UsersServiceOptions {
  common: CommonConfig;
  config: UsersConfig;
  sql: Sql;
  logger: Logger;
  routerKeys: RouterVerificationKeys;
}

export async function startUsersService(options: UsersServiceOptions): Promise<RunningSubgraph> {
  const { common, config } = options;
  const db = createUsersDb(options.sql);
  const repositories = { profiles: createProfilesRepository({ db }), addresses: createAddressesRepository({ db }) };
  const idempotency = createIdempotencyRepository({ db });
  const profiles = createProfileUseCases({ db, profiles: repositories.profiles });
  const addresses = createAddressUseCases({ db, ...repositories, idempotency });
  const erasure = createAccountErasureUseCases({ db, ...repositories, idempotency });
  const typeDefs = parse(await readSubgraphSdl(USERS_SCHEMA_FILE));
  const addressFormats = createAddressFormatUseCases({ countryCodes: countryCodesOf(typeDefs) });

  return startSubgraph<UsersContext>({
    name: USERS_SUBGRAPH,
    typeDefs,
    resolvers,
    common,
    port: config.port,
    logger: options.logger,
    routerKeys: options.routerKeys,
    isReady: () => isReachable(options.sql),
    createContext: (base) => ({ ...base, loaders: createLoaders(repositories), profiles, addresses, addressFormats, erasure }),
    routes: {
      // The router resolves a signed-in user's locale and currency from these (README "Localization").
      [PREFERENCES_PATH]: routerOnlyRoute(createRouterTokenVerifier({ keys: options.routerKeys, subgraph: USERS_SUBGRAPH }), async (url) =>
        jsonReply(200, await profiles.preferences(url.searchParams.get('user') ?? '')),
      ),
    },
  });
}
