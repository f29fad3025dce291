import type { Logger } from './logger.js';

/**
 * Graceful shutdown on SIGTERM/SIGINT: `close` stops accepting, lets in-flight requests finish and
 * closes pools; then the process exits. A second signal exits at once.
 */
export function closeOnSignal(logger: Logger, close: () => Promise<void>): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    logger.info({ signal }, 'shutting down');
    close()
      .then(() => {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

// Start-up failures whose message alone tells the user what to do, so they print without a stack.
// Matched by name: @meridian/db, which throws DataDirectoryInUseError, does not depend on this package.
const ONE_LINE_FAILURES = new Map([
  ['ConfigError', 'configuration error: '],
  ['DataDirectoryInUseError', ''],
]);

/** Logs a start-up failure as one line (no stack for configuration mistakes or a busy data directory) and exits. */
export function exitOnStartupError(logger: Logger) {
  return (error: unknown) => {
    const prefix = error instanceof Error ? ONE_LINE_FAILURES.get(error.name) : undefined;
    if (error instanceof Error && prefix !== undefined) logger.fatal(prefix + error.message);
    else logger.fatal({ err: error }, 'failed to start');
    logger.flush();
    process.exit(1);
  };
}
