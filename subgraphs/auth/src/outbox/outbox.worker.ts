import type { Logger } from '@meridian/platform';
import type { OutboxMessage } from './outbox.model.js';
import type { ClaimedMessage, OutboxRepository } from './outbox.repository.js';

const BATCH_SIZE = 10;
const MAX_ATTEMPTS = 10;
const MAX_RETRY_SECONDS = 60 * 60;
// An erasure is owed to the person who deleted their account: it is retried (hourly, at the longest)
// until it succeeds, never given up, and its payload (an id, nothing secret) stays until then.
const NEVER_GIVEN_UP: ReadonlySet<OutboxMessage['kind']> = new Set(['account_erasure']);

export interface OutboxWorker {
  /** Looks for due messages now (called after a transaction that enqueued some has committed). */
  wake(): void;
  start(): void;
  /**
   * Stops polling and waits for the deliveries under way until `until` (epoch ms). Those still
   * unfinished then are left for the next process: their lease is released, no attempt is counted.
   */
  stop(until?: number): Promise<void>;
}

/** Drains the outbox: at-least-once delivery, retries with exponential backoff, dead after ten attempts (erasures never). */
export function createOutboxWorker(deps: {
  outbox: OutboxRepository;
  deliver: (message: OutboxMessage, outboxId: string) => Promise<void>;
  log: Logger;
  pollMs: number;
}): OutboxWorker {
  const { outbox, log } = deps;
  let timer: NodeJS.Timeout | undefined;
  let draining: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let abandoned = false;
  const delivering = new Set<string>();

  async function deliverOne({ id, attempts, message }: ClaimedMessage): Promise<void> {
    delivering.add(id);
    try {
      await deps.deliver(message, id);
      await outbox.markSent(id);
    } catch (error) {
      // Cut off by the shutdown (its transport closed): the message waits, released, for the next process.
      if (abandoned) return;
      const attempt = attempts + 1;
      const retryInSeconds = attempt >= MAX_ATTEMPTS && !NEVER_GIVEN_UP.has(message.kind) ? null : Math.min(5 * 2 ** Math.min(attempts, 20), MAX_RETRY_SECONDS);
      const reason = error instanceof Error ? error.message.slice(0, 500) : 'delivery failed';
      await outbox.markFailed(id, attempt, reason, retryInSeconds);
      log.warn({ err: error, outboxId: id, kind: message.kind, attempt, retryInSeconds }, retryInSeconds === null ? 'outbox message given up' : 'outbox delivery failed, will retry');
    } finally {
      delivering.delete(id);
    }
  }

  async function drainAll(): Promise<void> {
    do {
      again = false;
      for (let batch = await outbox.claimDue(BATCH_SIZE); batch.length > 0 && !stopped; batch = await outbox.claimDue(BATCH_SIZE)) {
        await Promise.all(batch.map(deliverOne));
      }
    } while (again && !stopped);
  }

  function drain(): void {
    if (stopped) return;
    if (draining) {
      again = true;
      return;
    }
    draining = drainAll()
      .catch((error: unknown) => log.error({ err: error }, 'outbox drain failed'))
      .finally(() => (draining = undefined));
  }

  return {
    wake: () => setImmediate(drain),
    start() {
      timer = setInterval(drain, deps.pollMs);
      timer.unref();
      drain();
    },
    async stop(until = Infinity) {
      stopped = true;
      clearInterval(timer);
      if (!draining) return;
      const finished = await Promise.race([
        draining.then(() => true),
        new Promise<false>((resolve) => (until === Infinity ? undefined : setTimeout(() => resolve(false), Math.max(0, until - Date.now())).unref())),
      ]);
      if (finished || delivering.size === 0) return;
      abandoned = true;
      const unfinished = [...delivering];
      await outbox.release(unfinished).catch((error: unknown) => log.warn({ err: error, outboxIds: unfinished }, 'could not release unfinished outbox messages; they return after their lease'));
      log.info({ outboxIds: unfinished }, 'shutdown: unfinished outbox messages left for the next process');
    },
  };
}
