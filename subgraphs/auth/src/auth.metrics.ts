import { Counter, Gauge, Registry } from 'prom-client';
import type { Logger } from '@meridian/platform';

export interface AuthMetrics {
  /** The auth service's registry, served at its `/metrics` with the request metrics. */
  registry: Registry;
  /** Attempts a rate limit refused, by action and by the limit that refused (ip, identifier or both). */
  rateLimitRefusals: Counter<'action' | 'limit'>;
  /** Identifiers locked by too many failed password checks. */
  lockouts: Counter;
  /** Password checks refused because their identifier was locked. */
  lockedAttempts: Counter;
}

export function createAuthMetrics(): AuthMetrics {
  const registry = new Registry();
  return {
    registry,
    rateLimitRefusals: new Counter({
      name: 'meridian_auth_rate_limit_refusals_total',
      help: 'Attempts refused by a rate limit (answered RateLimited), by action and by the limit that refused: ip, identifier or both',
      labelNames: ['action', 'limit'],
      registers: [registry],
    }),
    lockouts: new Counter({
      name: 'meridian_auth_lockouts_total',
      help: 'Identifiers (normalized e-mails) locked after too many failed password checks (sign-in and reauthentication)',
      registers: [registry],
    }),
    lockedAttempts: new Counter({
      name: 'meridian_auth_locked_attempts_total',
      help: 'Password checks refused because their identifier was locked',
      registers: [registry],
    }),
  };
}

/** The password hasher's queue: hashes running and waiting, read at each scrape. */
export function observeHashing(registry: Registry, load: () => { running: number; waiting: number }): void {
  new Gauge({
    name: 'meridian_auth_password_hash_running',
    help: 'argon2 hashes and verifications being computed now (at most PASSWORD_HASH_CONCURRENCY)',
    registers: [registry],
    collect() {
      this.set(load().running);
    },
  });
  new Gauge({
    name: 'meridian_auth_password_hash_queue_depth',
    help: 'argon2 jobs waiting for the hashing process (at most PASSWORD_HASH_QUEUE_LIMIT; beyond it RateLimited)',
    registers: [registry],
    collect() {
      this.set(load().waiting);
    },
  });
}

export interface OutboxBacklog {
  messages: number;
  oldestAgeSeconds: number;
}

/** What one scrape reads of the outbox, shared by its two gauges (one query per scrape). */
const BACKLOG_READ_TTL_MS = 1_000;

/**
 * The outbox's backlog (messages neither sent nor given up) and the age of its oldest message, read
 * from the database at each scrape. If the database does not answer, both read NaN (no stale figure)
 * and the rest of `/metrics` is still served.
 */
export function observeOutbox(registry: Registry, read: () => Promise<OutboxBacklog>, log: Logger): void {
  let last: { at: number; reading: Promise<OutboxBacklog | undefined> } | undefined;
  const current = () => {
    if (!last || Date.now() - last.at > BACKLOG_READ_TTL_MS) {
      const reading = read().catch((error: unknown) => {
        log.warn({ err: error }, 'could not read the outbox backlog for /metrics');
        return undefined;
      });
      last = { at: Date.now(), reading };
    }
    return last.reading;
  };
  new Gauge({
    name: 'meridian_auth_outbox_backlog',
    help: 'Outbox messages (mail, deferred work) neither sent nor given up yet',
    registers: [registry],
    async collect() {
      const backlog = await current();
      this.set(backlog ? backlog.messages : Number.NaN);
    },
  });
  new Gauge({
    name: 'meridian_auth_outbox_oldest_age_seconds',
    help: 'Age of the oldest outbox message neither sent nor given up (0 when there is none)',
    registers: [registry],
    async collect() {
      const backlog = await current();
      this.set(backlog ? backlog.oldestAgeSeconds : Number.NaN);
    },
  });
}
