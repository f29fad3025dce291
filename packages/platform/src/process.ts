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

/** Logs a start-up failure as one line (no stack for configuration mistakes) and exits. */
export function exitOnStartupError(logger: Logger) {
  return (error: unknown) => {
    if (error instanceof Error && error.name === 'ConfigError') logger.fatal(`configuration error: ${error.message}`);
    else logger.fatal({ err: error }, 'failed to start');
    logger.flush();
    process.exit(1);
  };
}
