import type { Logger } from '@meridian/platform';

/**
 * The worker inside the notifications process: every `intervalMs`, reads the order feed on and sends what is
 * due. One round at a time; `stop` ends it at shutdown and waits for the round under way.
 */
export function startNotificationsWorker(options: { intervalMs: number; consume: () => Promise<number>; sendDue: () => Promise<number>; log: Logger }): { stop(): Promise<void> } {
  let round: Promise<void> | null = null;
  let stopped = false;
  // A router that is not up yet (the process starts before it) fails every round: said once, then every 100th.
  let feedFailures = 0;
  const tick = () => {
    if (round || stopped) return;
    round = (async () => {
      try {
        const queued = await options.consume();
        if (feedFailures > 0) options.log.info({ failedRounds: feedFailures }, 'the order feed is read again');
        feedFailures = 0;
        if (queued > 0) options.log.info({ queued }, 'notifications queued for order events');
      } catch (error) {
        if (feedFailures++ % 100 === 0) options.log.warn({ err: error, failedRounds: feedFailures }, 'the order feed could not be read; trying again later');
      }
      try {
        // A full batch: more may be due at once.
        while (!stopped && (await options.sendDue()) > 0);
      } catch (error) {
        options.log.warn({ err: error }, 'due notifications could not be sent; trying again later');
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
