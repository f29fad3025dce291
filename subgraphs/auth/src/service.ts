import path from 'node:path';
import { parse } from 'graphql';
import { Redis } from 'ioredis';
import { isReachable, type Sql } from '@meridian/db';
import {
  createRouterTokenVerifier,
  jsonReply,
  publicKeySet,
  readSubgraphSdl,
  startSubgraph,
  type CommonConfig,
  type Logger,
  type RouterVerificationKeys,
  type RunningSubgraph,
  type SigningKey,
} from '@meridian/platform';
import { loadPersistedQueryManifest } from '@meridian/schema';
import { createAccountsRepository } from './accounts/accounts.repository.js';
import { createCredentialCheck, createReauthentication } from './accounts/credential-check.js';
import { createPasswordHasher } from './accounts/password-hasher.js';
import { createSignInUseCases } from './accounts/sign-in.usecases.js';
import { createAdminUseCases } from './admin/users.usecases.js';
import { createAuthMetrics, observeHashing, observeOutbox } from './auth.metrics.js';
import { createAccountDeletionUseCases } from './deletion/account-deletion.usecases.js';
import { createAccountEraser } from './deletion/account-erasure.client.js';
import { ACCOUNT_ERASURE_TARGETS } from './deletion/account-erasure.targets.js';
import { createAuditTrail } from './audit/audit.repository.js';
import type { AuthConfig } from './config.js';
import { createLoaders, type AuthContext, type AuthUseCases } from './context.js';
import { createAuthDb } from './db.js';
import { createMailTransport } from './mail/mail.transport.js';
import { createMailer } from './mail/mailer.js';
import { createHousekeeping } from './housekeeping.js';
import { createOutboxDelivery, type DeferredWorkRunner } from './outbox/outbox.delivery.js';
import { createOutboxRepository } from './outbox/outbox.repository.js';
import { createOutboxWorker } from './outbox/outbox.worker.js';
import { createProfileSeeder } from './profile-seed/profile-seed.client.js';
import { createLockout } from './protection/lockout.js';
import { createRateLimits, type CounterStore } from './protection/rate-limits.js';
import { createEmailChangeUseCases } from './recovery/email-change.usecases.js';
import { createPasswordUseCases } from './recovery/password.usecases.js';
import { resolvers } from './resolvers/index.js';
import { createSecondFactorSignIn } from './second-factors/second-factor-sign-in.usecases.js';
import { createSecondFactorsRepository } from './second-factors/second-factors.repository.js';
import { createSecondFactorUseCases } from './second-factors/second-factors.usecases.js';
import { createWebAuthn } from './second-factors/webauthn.js';
import { createProfileLocaleLookup } from './mail/profile-locale.client.js';
import { createRouterOperations } from './router-calls/router-operations.client.js';
import { deriveSecrets } from './secrets.js';
import { createServiceTokenUseCases } from './service-clients/service-tokens.usecases.js';
import { createAccessTokenIssuer } from './sessions/access-token.issuer.js';
import { REVOKED_SESSIONS_PATH, revokedSessionsRoute } from './sessions/denylist.route.js';
import { createRefreshCookie, refreshCookiePlugin } from './sessions/refresh-cookie.js';
import { createSessionsRepository } from './sessions/sessions.repository.js';
import { createSessionUseCases } from './sessions/sessions.usecases.js';
import { createRegistrationsRepository } from './signup/registrations.repository.js';
import { createSignUpUseCases } from './signup/signup.usecases.js';
import { createEmailTokensRepository } from './tokens/email-tokens.repository.js';

export { rateLimitsEnv, readAuthConfig, type AuthConfig } from './config.js';
export { resolveAuthSecret } from './secrets.js';
export { ACCOUNT_ERASURE_ROLE, ACCOUNT_ERASURE_TARGETS } from './deletion/account-erasure.targets.js';

export const AUTH_SUBGRAPH = 'auth';
export const JWKS_PATH = '/.well-known/jwks.json';
export const AUTH_SCHEMA_FILE = new URL('../schema.graphql', import.meta.url);

export interface AuthServiceOptions {
  common: CommonConfig;
  config: AuthConfig;
  sql: Sql;
  logger: Logger;
  signingKeys: SigningKey[];
  /** AUTH_SECRET: the master key for e-mail token hashes, outbox encryption and refresh successors. */
  secret: Buffer;
  routerKeys: RouterVerificationKeys;
  /** Where the router listens; read lazily because in one process the router starts after this service. */
  routerUrl?: () => string;
}

export async function startAuthService(options: AuthServiceOptions): Promise<RunningSubgraph> {
  const { common, config, logger } = options;
  const db = createAuthDb(options.sql);
  const secrets = deriveSecrets(options.secret);
  const redis = config.redisUrl ? new Redis(config.redisUrl, { keyPrefix: config.redisKeyPrefix, maxRetriesPerRequest: 1 }) : undefined;
  const counters: CounterStore = redis ? { kind: 'redis', client: redis } : { kind: 'postgres', db };
  const metrics = createAuthMetrics();
  const rateLimits = createRateLimits(counters, config.rateLimits, metrics.rateLimitRefusals);
  const lockout = createLockout(counters, config.lockout, metrics);

  const accounts = createAccountsRepository({ db });
  const emailTokens = createEmailTokensRepository({ db, key: secrets.emailTokenKey });
  const outbox = createOutboxRepository({ db, key: secrets.outboxKey });
  const audit = createAuditTrail();
  const mailer = createMailer({ outbox, linkBases: config.emailLinkBases });
  const hasher = await createPasswordHasher({ concurrency: config.passwordHashConcurrency, queueLimit: config.passwordHashQueueLimit });
  observeHashing(metrics.registry, hasher.load);
  observeOutbox(metrics.registry, outbox.backlog, logger);
  const issuer = createAccessTokenIssuer({ keys: options.signingKeys, issuer: common.tokenIssuer, audience: common.tokenAudience, ttlSeconds: config.accessTokenTtlSeconds });
  const routerOperations = createRouterOperations({ routerUrl: options.routerUrl ?? (() => config.routerUrl), issuer, manifest: await loadPersistedQueryManifest() });
  const transport = createMailTransport({ smtpUrl: config.smtpUrl, from: config.mailFrom, mailDir: path.join(common.dataDir, 'mail'), log: logger });
  const worker = createOutboxWorker({
    outbox,
    deliver: createOutboxDelivery({
      transport,
      seedProfile: createProfileSeeder({ router: routerOperations }),
      eraseAccount: createAccountEraser({ router: routerOperations, targets: ACCOUNT_ERASURE_TARGETS }),
      runDeferred: (work, outboxId) => runDeferred(work, outboxId),
      profileLocale: createProfileLocaleLookup({ router: routerOperations, log: logger }),
    }),
    log: logger,
    pollMs: config.outboxPollMs,
  });
  const wakeOutbox = () => worker.wake();
  const checkCredentials = createCredentialCheck({ db, hasher, lockout, audit });
  const shared = { db, accounts, audit, rateLimits, identifierKey: secrets.identifierKey };
  const reauthenticate = createReauthentication({ accounts, rateLimits, checkCredentials, identifierKey: secrets.identifierKey });

  const sessionsRepository = createSessionsRepository({ db });
  const registrations = createRegistrationsRepository();
  const sessions = createSessionUseCases({
    ...shared,
    sessions: sessionsRepository,
    issuer,
    policy: config,
    successorKey: secrets.refreshSuccessorKey,
    adminEmails: config.adminEmails,
    adminRequiresMfa: config.adminRequireMfa,
    log: logger,
  });
  const secondFactorDeps = {
    db,
    accounts,
    factors: createSecondFactorsRepository({ db }),
    audit,
    mailer,
    rateLimits,
    webauthn: createWebAuthn(config.webauthn),
    totpKey: secrets.totpKey,
    recoveryCodeKey: secrets.recoveryCodeKey,
    identifierKey: secrets.identifierKey,
    totpIssuer: config.totpIssuer,
    wakeOutbox,
  };
  const secondFactorSignIn = createSecondFactorSignIn({ ...secondFactorDeps, sessions, lockout, reauthenticate });
  const useCases: AuthUseCases = {
    sessions,
    signIn: createSignInUseCases({ ...shared, sessions, checkCredentials, secondFactors: secondFactorSignIn }),
    secondFactors: createSecondFactorUseCases(secondFactorDeps),
    secondFactorSignIn,
    signUp: createSignUpUseCases({ ...shared, registrations, emailTokens, sessions, hasher, mailer, linkBases: config.emailLinkBases, outbox, wakeOutbox }),
    passwords: createPasswordUseCases({
      ...shared,
      emailTokens,
      sessions,
      hasher,
      reauthenticate,
      mailer,
      linkBases: config.emailLinkBases,
      outbox,
      wakeOutbox,
      secondFactors: secondFactorSignIn,
    }),
    emailChange: createEmailChangeUseCases({ ...shared, emailTokens, sessions, reauthenticate, mailer, linkBases: config.emailLinkBases, outbox, wakeOutbox }),
    deletion: createAccountDeletionUseCases({
      ...shared,
      sessions,
      sessionsRepository,
      emailTokens,
      registrations,
      outbox,
      reauthenticate,
      erasureTargets: Object.keys(ACCOUNT_ERASURE_TARGETS),
      accessTokenTtlSeconds: config.accessTokenTtlSeconds,
      wakeOutbox,
    }),
    admin: createAdminUseCases({ accounts }),
    serviceTokens: createServiceTokenUseCases({ db, clients: config.serviceClients, issuer, rateLimits, audit }),
  };

  // The halves of requests that answer known and unknown addresses alike, run by the outbox after the answer.
  const runDeferred: DeferredWorkRunner = async (work, outboxId) => {
    switch (work.kind) {
      case 'password_reset_request':
        return useCases.passwords.sendResetLink(work, outboxId);
      case 'sign_up':
        return useCases.signUp.completeSignUp(work, outboxId);
      case 'verification_resend':
        return useCases.signUp.renewVerification(work, outboxId);
      case 'email_change_request':
        return useCases.emailChange.sendChangeLink(work, outboxId);
    }
  };

  const jwks = publicKeySet(options.signingKeys);
  const housekeeping = createHousekeeping({ db, log: logger });
  worker.start();
  housekeeping.start();
  const subgraph = await startSubgraph<AuthContext>({
    name: AUTH_SUBGRAPH,
    typeDefs: parse(await readSubgraphSdl(AUTH_SCHEMA_FILE)),
    resolvers,
    common,
    port: config.port,
    logger,
    routerKeys: options.routerKeys,
    isReady: () => isReachable(options.sql),
    createContext: (base, relayed) => ({ ...base, ...useCases, loaders: createLoaders(accounts), refreshCookie: createRefreshCookie(relayed.refreshCookie) }),
    plugins: [refreshCookiePlugin()],
    metrics: metrics.registry,
    routes: {
      [JWKS_PATH]: () => jsonReply(200, jwks, [['cache-control', 'public, max-age=300']]),
      [REVOKED_SESSIONS_PATH]: revokedSessionsRoute({
        sessions,
        verifyRouterToken: createRouterTokenVerifier({ keys: options.routerKeys, subgraph: AUTH_SUBGRAPH }),
        accessTokenTtlSeconds: config.accessTokenTtlSeconds,
      }),
    },
  });
  return {
    ...subgraph,
    // Requests and mail deliveries get until `drainUntil`; sign-ins still waiting for a hash then get SERVICE_UNAVAILABLE.
    close: async ({ drainUntil = Date.now() + common.shutdownTimeoutMs } = {}) => {
      housekeeping.stop();
      const outboxStopped = worker.stop(drainUntil);
      await subgraph.close({ drainUntil, abandon: () => hasher.close() });
      await hasher.close();
      await outboxStopped;
      await transport.close();
      redis?.disconnect();
    },
  };
}
