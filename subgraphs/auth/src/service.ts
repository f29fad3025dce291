import { parse } from 'graphql';
import type { JWTVerifyGetKey } from 'jose';
import { isReachable, type Sql } from '@meridian/db';
import {
  createAccessTokenVerifier,
  jsonReply,
  localKeyResolver,
  publicKeySet,
  readSubgraphSdl,
  startSubgraph,
  type CommonConfig,
  type Logger,
  type RunningSubgraph,
  type SigningKey,
} from '@meridian/platform';
import { createAccountsRepository } from './accounts/accounts.repository.js';
import { createAccountUseCases } from './accounts/accounts.usecases.js';
import { createPasswordHasher } from './accounts/password-hasher.js';
import type { AuthConfig } from './config.js';
import { createLoaders, type AuthContext } from './context.js';
import { createAuthDb } from './db.js';
import { createProfileSeeder } from './profile-seed/profile-seed.client.js';
import { resolvers } from './resolvers/index.js';
import { createAccessTokenIssuer } from './sessions/access-token.issuer.js';
import { createSessionsRepository } from './sessions/sessions.repository.js';
import { createSessionUseCases } from './sessions/sessions.usecases.js';

export { readAuthConfig, type AuthConfig } from './config.js';

export const AUTH_SUBGRAPH = 'auth';
export const JWKS_PATH = '/.well-known/jwks.json';

export const AUTH_SCHEMA_FILE = new URL('../schema.graphql', import.meta.url);

export interface AuthServiceOptions {
  common: CommonConfig;
  config: AuthConfig;
  sql: Sql;
  logger: Logger;
  signingKeys: SigningKey[];
  routerKeys: JWTVerifyGetKey;
  /** Where the router listens; read lazily because in one process the router starts after this service. */
  routerUrl?: () => string;
}

export async function startAuthService(options: AuthServiceOptions): Promise<RunningSubgraph> {
  const { common, config, logger } = options;
  const db = createAuthDb(options.sql);
  const accountsRepository = createAccountsRepository({ db });
  const jwks = publicKeySet(options.signingKeys);
  const sessions = createSessionUseCases({
    db,
    sessions: createSessionsRepository(),
    accounts: accountsRepository,
    issuer: createAccessTokenIssuer({
      keys: options.signingKeys,
      issuer: common.tokenIssuer,
      audience: common.tokenAudience,
      ttlSeconds: config.accessTokenTtlSeconds,
    }),
    policy: config,
    log: logger,
  });
  const accounts = createAccountUseCases({
    db,
    accounts: accountsRepository,
    sessions,
    hasher: await createPasswordHasher({ concurrency: config.passwordHashConcurrency, queueLimit: config.passwordHashQueueLimit }),
    profileSeeder: createProfileSeeder({ routerUrl: options.routerUrl ?? (() => config.routerUrl), log: logger }),
  });

  return startSubgraph<AuthContext>({
    name: AUTH_SUBGRAPH,
    typeDefs: parse(await readSubgraphSdl(AUTH_SCHEMA_FILE)),
    resolvers,
    common,
    port: config.port,
    logger,
    routerKeys: options.routerKeys,
    verifyAccessToken: createAccessTokenVerifier({ keys: localKeyResolver(jwks), issuer: common.tokenIssuer, audience: common.tokenAudience }),
    isReady: () => isReachable(options.sql),
    createContext: (base) => ({ ...base, loaders: createLoaders(accountsRepository), accounts, sessions }),
    routes: { [JWKS_PATH]: () => jsonReply(200, jwks, [['cache-control', 'public, max-age=300']]) },
  });
}
