// Runs the auth subgraph as its own process (compose.yaml; `node --import tsx subgraphs/auth/src/main.ts`, README "Running the services separately").
import { createPool } from '@meridian/db';
import {
  closeOnSignal,
  createLogger,
  exitOnStartupError,
  planShutdown,
  readCommonConfig,
  readDatabaseConfig,
  resolveAuthSigningKeys,
  resolveRouterVerificationKeys,
  secondsUntil,
  serviceName,
  startTracing,
} from '@meridian/platform';
import { readAuthConfig, resolveAuthSecret, startAuthService } from './service.js';

const common = readCommonConfig();
const logger = createLogger({ service: 'auth', level: common.logLevel, format: common.logFormat });

try {
  const tracing = await startTracing({ serviceName: serviceName('auth') });
  const database = readDatabaseConfig();
  const sql = createPool(database.url, {
    max: database.poolMax,
    applicationName: 'meridian-auth',
    statementTimeoutMs: database.statementTimeoutMs,
    acquireTimeoutMs: database.acquireTimeoutMs,
  });
  const service = await startAuthService({
    common,
    config: readAuthConfig(),
    sql,
    logger,
    signingKeys: await resolveAuthSigningKeys(common),
    secret: await resolveAuthSecret(common),
    routerKeys: await resolveRouterVerificationKeys(common),
  });
  closeOnSignal(
    logger,
    async () => {
      const plan = planShutdown(common.shutdownTimeoutMs);
      await service.close({ drainUntil: plan.drainUntil });
      await sql.end({ timeout: secondsUntil(plan.closeBy) });
      await tracing.shutdown();
    },
    { timeoutMs: common.shutdownTimeoutMs },
  );
} catch (error) {
  exitOnStartupError(logger)(error);
}
