import type { Logger } from './logger.js';

/** How a process spends SHUTDOWN_TIMEOUT_MS: requests and background work drain until `drainUntil`; pools close by `closeBy`. */
export interface ShutdownPlan {
  drainUntil: number;
  closeBy: number;
}

/** The last fifth of the timeout (at most a second) is kept for closing pools and connections. */
export function planShutdown(timeoutMs: number, now = Date.now()): ShutdownPlan {
  return { drainUntil: now + timeoutMs - Math.min(1_000, timeoutMs / 5), closeBy: now + timeoutMs };
}

/** Seconds left until `at`, for postgres.js `end({ timeout })`. */
export function secondsUntil(at: number): number {
  return Math.max(0, at - Date.now()) / 1000;
}

/** Beyond the shutdown timeout, this much more before a stuck shutdown is cut short with exit code 1. */
const SHUTDOWN_OVERRUN_MS = 2_000;

/**
 * Graceful shutdown on SIGTERM/SIGINT: `close` stops accepting, lets in-flight requests finish and
 * closes pools, within `timeoutMs`; then the process exits 0. A second signal, or a shutdown still
 * running well past `timeoutMs`, exits 1 at once.
 */
export function closeOnSignal(logger: Logger, close: () => Promise<void>, options: { timeoutMs?: number } = {}): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    logger.info({ signal }, 'shutting down');
    if (options.timeoutMs !== undefined) {
      setTimeout(() => {
        logger.error({ timeoutMs: options.timeoutMs }, 'shutdown did not finish in time; exiting');
        logger.flush();
        process.exit(1);
      }, options.timeoutMs + SHUTDOWN_OVERRUN_MS).unref();
    }
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
  ['UndeclaredAuthorizationError', 'refusing to start: '],
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
