import type { Logger } from '@meridian/platform';

/**
 * The orders service's background work, every `intervalMs` on every replica: checkouts whose worker stopped
 * are finished or undone (`recover`, each claimed by one replica through its attempt counter), and orders
 * left unpaid past the payment window are cancelled and their stock released. One round at a time; `stop`
 * ends it at shutdown and waits for the round under way.
 */
export function scheduleOrderJobs(options: { intervalMs: number; recover: () => Promise<number>; cancelUnpaid: () => Promise<number>; log: Logger }): { stop(): Promise<void> } {
  let round: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (round || stopped) return;
    round = (async () => {
      try {
        const recovered = await options.recover();
        if (recovered > 0) options.log.info({ recovered }, 'unfinished checkouts finished or undone');
      } catch (error) {
        options.log.warn({ err: error }, 'unfinished checkouts could not be recovered; trying again later');
      }
      try {
        const cancelled = await options.cancelUnpaid();
        if (cancelled > 0) options.log.info({ cancelled }, 'unpaid orders past the payment window cancelled');
      } catch (error) {
        options.log.warn({ err: error }, 'unpaid orders could not be cancelled; trying again later');
      }
    })().finally(() => (round = null));
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await round;
    },
  };
}
