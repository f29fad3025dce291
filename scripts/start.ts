// `pnpm start`: the whole graph in one process, on embedded PostgreSQL unless DATABASE_URL is set.
import { closeOnSignal, createLogger, exitOnStartupError, readCommonConfig } from '@meridian/platform';
import { startGraph } from './graph.js';

const logger = createLogger({ service: 'meridian', level: process.env.LOG_LEVEL ?? 'info' });

try {
  const graph = await startGraph();
  logger.info(
    { database: graph.embeddedDataDir ? `embedded (PGlite, ${graph.embeddedDataDir})` : 'DATABASE_URL', subgraphs: graph.subgraphUrls },
    `Meridian is ready: ${graph.routerUrl}`,
  );
  closeOnSignal(logger, graph.close, { timeoutMs: readCommonConfig().shutdownTimeoutMs });
} catch (error) {
  exitOnStartupError(logger)(error);
}
