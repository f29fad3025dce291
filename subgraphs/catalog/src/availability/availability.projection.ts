import type { Logger } from '@meridian/platform';
import { FeedPositionRefused, type ReadAvailabilityFeed } from './availability-feed.client.js';
import type { AvailabilityRepository } from './availability.repository.js';

export const AVAILABILITY_FEED = 'inventory.availability';
const PAGE = 1_000;
/** The longest wait between two reads after failures (the wait doubles from the interval up to this). */
const MAX_BACKOFF_MS = 60_000;
/** Failed reads in a row before a warning (about 15 s at the default interval). */
const QUIET_FAILURES = 3;
/**
 * The same before the feed was ever read: the router starts after the subgraphs, and under load that takes
 * a while (about 10 minutes at the default interval and the longest backoff).
 */
const QUIET_FAILURES_AT_START = 10;

export interface AvailabilityProjection {
  /** Reads the feed up to now (tests, and each tick): the number of variants written. */
  runOnce(): Promise<number>;
  stop(): void;
}

/**
 * Keeps `catalog.variant_stock` (which variants are in stock, for the `inStock` filter of `products`)
 * up to date from the inventory service's availability feed, every `intervalMs`. The copy lags the
 * inventory by about that much; selling never reads it (the checkout reserves through the inventory).
 * While the feed cannot be read (the router is not up yet, the inventory is down) it waits longer
 * between tries, warns once the third try in a row failed (the tenth before it was ever read: the router
 * starts after the subgraphs), and catches up from its stored position when the feed is back.
 */
export function startAvailabilityProjection(options: { read: ReadAvailabilityFeed; availability: AvailabilityRepository; intervalMs: number; log: Logger }): AvailabilityProjection {
  const { read, availability, log } = options;
  let running: Promise<number> | null = null;
  let failures = 0;
  let everRead = false;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  /** The newest position read; stored only with changes (reading again from an older one is safe, only more work). */
  let latest: string | null | undefined;

  async function catchUp(): Promise<number> {
    let written = 0;
    let position = latest !== undefined ? latest : await availability.position(AVAILABILITY_FEED);
    for (;;) {
      let page;
      try {
        page = await read(position, PAGE);
      } catch (error) {
        if (!(error instanceof FeedPositionRefused)) throw error;
        log.warn({ err: error }, 'the availability feed refused the stored position; reading it again from the start');
        await availability.forget(AVAILABILITY_FEED);
        position = latest = null;
        continue;
      }
      // A quiet feed writes nothing: the position moves with every transaction of the database, the copy does not.
      if (page.changes.length > 0) await availability.apply(AVAILABILITY_FEED, page.changes, page.next);
      written += page.changes.length;
      position = latest = page.next;
      if (!page.hasMore || stopped) return written;
    }
  }

  const runOnce = (): Promise<number> => {
    running ??= catchUp()
      .then(
        (written) => {
          if (failures >= (everRead ? QUIET_FAILURES : QUIET_FAILURES_AT_START)) log.info({ failures }, 'the availability feed is read again');
          failures = 0;
          everRead = true;
          return written;
        },
        (error: unknown) => {
          // The router starts after the subgraphs: the first tries may fail without anything being wrong.
          failures += 1;
          if (failures === (everRead ? QUIET_FAILURES : QUIET_FAILURES_AT_START)) log.warn({ err: error, failures }, 'the availability feed could not be read; the in-stock filter lags until it can');
          else log.debug({ err: error, failures }, 'the availability feed could not be read');
          return 0;
        },
      )
      .finally(() => {
        running = null;
      });
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    const wait = Math.min(options.intervalMs * 2 ** Math.min(failures, 10), Math.max(MAX_BACKOFF_MS, options.intervalMs));
    timer = setTimeout(() => void runOnce().then(schedule), wait);
    timer.unref();
  };
  schedule();

  return {
    runOnce,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
