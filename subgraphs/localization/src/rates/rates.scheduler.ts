import type { Logger } from '@meridian/platform';
import type { RateUseCases } from './rates.usecases.js';

export interface RateScheduler {
  /** Runs one import now (tests; start-up). */
  runOnce(): Promise<void>;
  stop(): void;
}

/**
 * Imports the ECB file at `url` at start and then every `intervalMinutes`. Each import is idempotent,
 * so several replicas importing the same file store each rate once. A failed fetch is logged and
 * retried at the next tick; the rates already stored keep serving.
 */
export function scheduleRateImports(options: { url: string; intervalMinutes: number; rates: RateUseCases; log: Logger }): RateScheduler {
  const { url, rates, log } = options;
  let running: Promise<void> | null = null;

  const runOnce = (): Promise<void> => {
    running ??= (async () => {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
        if (!response.ok) throw new Error(`${url} answered ${response.status}`);
        const report = await rates.importEcb(await response.text());
        log.info({ url, ...report }, 'exchange rates imported');
      } catch (error) {
        log.warn({ err: error, url }, 'exchange rate import failed; the stored rates keep serving');
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const timer = setInterval(() => void runOnce(), options.intervalMinutes * 60_000);
  timer.unref();
  void runOnce();
  return { runOnce, stop: () => clearInterval(timer) };
}
