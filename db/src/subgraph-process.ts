import {
  closeOnSignal,
  createLogger,
  exitOnStartupError,
  planShutdown,
  readCommonConfig,
  readDatabaseConfig,
  resolveRouterVerificationKeys,
  secondsUntil,
  serviceName,
  startTracing,
  type CommonConfig,
  type Logger,
  type RouterVerificationKeys,
  type RunningHttpService,
} from '@meridian/platform';
import { createPool, type Sql } from './pool.js';

export interface SubgraphProcessDeps<Config> {
  common: CommonConfig;
  config: Config;
  sql: Sql;
  logger: Logger;
  routerKeys: RouterVerificationKeys;
}

/**
 * A subgraph as its own process (its `main.ts`): tracing, its pool with the configured time limits,
 * the service, and a shutdown on SIGTERM/SIGINT bounded by SHUTDOWN_TIMEOUT_MS (drain, then the pool,
 * then the exporter). A failure to start is logged and exits 1.
 */
export async function runSubgraphProcess<Config>(
  name: string,
  readConfig: () => Config,
  start: (deps: SubgraphProcessDeps<Config>) => Promise<RunningHttpService>,
): Promise<void> {
  const common = readCommonConfig();
  const logger = createLogger({ service: name, level: common.logLevel, format: common.logFormat });
  try {
    const tracing = await startTracing({ serviceName: serviceName(name) });
    const config = readConfig();
    const database = readDatabaseConfig();
    const sql = createPool(database.url, {
      max: database.poolMax,
      applicationName: `meridian-${name}`,
      statementTimeoutMs: database.statementTimeoutMs,
      acquireTimeoutMs: database.acquireTimeoutMs,
    });
    const service = await start({
      common,
      config,
      sql,
      logger,
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
}
