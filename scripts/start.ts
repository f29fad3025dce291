// `pnpm start`: the whole graph in one process, on embedded PostgreSQL unless DATABASE_URL is set.
import { closeOnSignal, createLogger, exitOnStartupError, readCommonConfig, readLogFormat, startTracing } from '@meridian/platform';
import { startGraph } from './graph.js';

const logger = createLogger({ service: 'meridian', level: process.env.LOG_LEVEL ?? 'info', format: readLogFormat() });

try {
  // One process for every service: each span is still reported under its service's name (meridian-router, …).
  const tracing = await startTracing({ serviceName: 'meridian' });
  // The demo shop on the embedded default, unless DEMO_DATA=off (README "Catalog").
  const graph = await startGraph({ seedDemo: !process.env.DATABASE_URL && process.env.DEMO_DATA !== 'off' });
  logger.info(
    { database: graph.embeddedDataDir ? `embedded (PGlite, ${graph.embeddedDataDir})` : 'DATABASE_URL', subgraphs: graph.subgraphUrls },
    `Meridian is ready: ${graph.routerUrl}`,
  );
  closeOnSignal(
    logger,
    async () => {
      await graph.close();
      await tracing.shutdown();
    },
    { timeoutMs: readCommonConfig().shutdownTimeoutMs },
  );
} catch (error) {
  exitOnStartupError(logger)(error);
}
