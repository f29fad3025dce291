// Runs the inventory subgraph as its own process (compose.yaml; `node --import tsx subgraphs/inventory/src/main.ts`, README "Running the services separately").
import { createPool } from '@meridian/db';
import {
  closeOnSignal,
  createLogger,
  exitOnStartupError,
  planShutdown,
  readCommonConfig,
  readDatabaseConfig,
  remoteKeyResolver,
  resolveRouterVerificationKeys,
  secondsUntil,
  serviceName,
  startTracing,
} from '@meridian/platform';
import { readInventoryConfig, startInventoryService } from './service.js';

const common = readCommonConfig();
const logger = createLogger({ service: 'inventory', level: common.logLevel, format: common.logFormat });

try {
  const tracing = await startTracing({ serviceName: serviceName('inventory') });
  const config = readInventoryConfig();
  const database = readDatabaseConfig();
  const sql = createPool(database.url, {
    max: database.poolMax,
    applicationName: 'meridian-inventory',
    statementTimeoutMs: database.statementTimeoutMs,
    acquireTimeoutMs: database.acquireTimeoutMs,
  });
  const service = await startInventoryService({
    common,
    config,
    sql,
    logger,
    routerKeys: await resolveRouterVerificationKeys(common),
    accessTokenKeys: remoteKeyResolver(config.authJwksUrl),
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
