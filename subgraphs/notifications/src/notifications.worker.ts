import type { Logger } from '@meridian/platform';

/**
 * The worker inside the notifications process: every `intervalMs`, reads the order feed on and sends what is
 * due. One round at a time; `stop` ends it at shutdown and waits for the round under way.
 */
export function startNotificationsWorker(options: { intervalMs: number; consume: () => Promise<number>; sendDue: () => Promise<number>; log: Logger }): { stop(): Promise<void> } {
  let round: Promise<void> | null = null;
  let stopped = false;
  // A router that is not up yet (the process starts before it) fails the first rounds: said only from the tenth
  // failure in a row before the feed was ever read (the third after), then every 100th.
  let feedFailures = 0;
  let everRead = false;
  const tick = () => {
    if (round || stopped) return;
    round = (async () => {
      try {
        const queued = await options.consume();
        if (feedFailures >= quietFailures()) options.log.info({ failedRounds: feedFailures }, 'the order feed is read again');
        feedFailures = 0;
        everRead = true;
        if (queued > 0) options.log.info({ queued }, 'notifications queued for order events');
      } catch (error) {
        feedFailures += 1;
        if (feedFailures >= quietFailures() && (feedFailures - quietFailures()) % 100 === 0) {
          options.log.warn({ err: error, failedRounds: feedFailures }, 'the order feed could not be read; trying again later');
        } else options.log.debug({ err: error, failedRounds: feedFailures }, 'the order feed could not be read');
      }
      try {
        // A full batch: more may be due at once.
        while (!stopped && (await options.sendDue()) > 0);
      } catch (error) {
        options.log.warn({ err: error }, 'due notifications could not be sent; trying again later');
      }
    })().finally(() => (round = null));
  };
  const quietFailures = () => (everRead ? 3 : 10);
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
