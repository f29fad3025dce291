import type { Logger } from '@meridian/platform';
import type { ReservationUseCases } from './reservations.usecases.js';

export interface ExpiryJob {
  /** Runs one sweep now (tests). */
  runOnce(): Promise<number>;
  stop(): void;
}

/**
 * Releases expired reservations every `intervalMs`, so their units show up in `stock_levels` and the
 * ledger. Until it runs they already no longer count: reads subtract them and `reserve` releases those
 * on the variants it takes. Replicas may sweep at the same time; each reservation is claimed by one.
 */
export function scheduleExpiryJob(options: { intervalMs: number; reservations: ReservationUseCases; log: Logger }): ExpiryJob {
  let running: Promise<number> | null = null;
  const runOnce = (): Promise<number> => {
    running ??= (async () => {
      try {
        const released = await options.reservations.releaseExpired();
        if (released > 0) options.log.info({ released }, 'expired reservations released');
        return released;
      } catch (error) {
        options.log.warn({ err: error }, 'releasing expired reservations failed; the next sweep retries');
        return 0;
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const timer = setInterval(() => void runOnce(), options.intervalMs);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
