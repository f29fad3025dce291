import type { Logger } from '@meridian/platform';

/**
 * Deletes guest carts nobody changed for the retention period, and merged guest carts after a day, every
 * `intervalMs` on every replica (the statement is the same whichever runs it). Anyone may open a guest
 * cart; this keeps abandoned ones from piling up.
 */
export function scheduleHousekeeping(options: { intervalMs: number; deleteExpired: () => Promise<number>; log: Logger }): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    options
      .deleteExpired()
      .then((deleted) => {
        if (deleted > 0) options.log.info({ deleted }, 'expired carts deleted');
      })
      .catch((error: unknown) => options.log.warn({ err: error }, 'expired carts could not be deleted; trying again later'))
      .finally(() => (running = false));
  }, options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
