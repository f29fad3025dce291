// Runs the catalog subgraph as its own process (compose.yaml; `node --import tsx subgraphs/catalog/src/main.ts`, README "Running the services separately").
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
import { readCatalogConfig, startCatalogService } from './service.js';

const common = readCommonConfig();
const logger = createLogger({ service: 'catalog', level: common.logLevel, format: common.logFormat });

try {
  const tracing = await startTracing({ serviceName: serviceName('catalog') });
  const config = readCatalogConfig();
  const database = readDatabaseConfig();
  const sql = createPool(database.url, {
    max: database.poolMax,
    applicationName: 'meridian-catalog',
    statementTimeoutMs: database.statementTimeoutMs,
    acquireTimeoutMs: database.acquireTimeoutMs,
  });
  const service = await startCatalogService({
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
