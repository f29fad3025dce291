import { isIPv6 } from 'node:net';
import { RateLimiterDrizzle, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import type { Counter } from 'prom-client';
import { rateLimits as rateLimitsTable } from '@meridian/db/auth';
import type { AuthDb } from '../db.js';
import type { RateLimitedAction, RateLimitRules, RateRule } from '../config.js';
import { ipv6Prefix, unmapped } from '../sessions/client-network.js';

/** Where the counters live: shared by every replica of the auth service. */
export type CounterStore = { kind: 'postgres'; db: AuthDb } | { kind: 'redis'; client: Redis };

export function createLimiter(store: CounterStore, keyPrefix: string, rule: RateRule): RateLimiterAbstract {
  const options = { keyPrefix, points: rule.points, duration: rule.durationSeconds };
  return store.kind === 'redis'
    ? new RateLimiterRedis({ ...options, storeClient: store.client })
    : new RateLimiterDrizzle({ ...options, storeClient: store.db, schema: rateLimitsTable });
}

/**
 * The key a client address is counted under: an IPv4 address itself, an IPv6 address by its /64,
 * since one subscriber commonly holds a whole /64 and could otherwise rotate through it.
 */
export function addressKey(ip: string | null): string {
  if (!ip) return 'unknown';
  const address = unmapped(ip);
  return isIPv6(address) ? `${ipv6Prefix(address, 4)}::/64` : address;
}

export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimits {
  /**
   * Counts one attempt of `action` for the client address and, when given, the identifier (a
   * pseudonymized e-mail or token family). Called once per resolver call, so aliases and batches
   * count every attempt.
   */
  consume(action: RateLimitedAction, keys: { ip: string | null; identifier?: string | null }): Promise<RateVerdict>;
}

/** `refusals` counts each refused attempt by action and by the limit that refused it (ip, identifier or both). */
export function createRateLimits(store: CounterStore, rules: RateLimitRules, refusals?: Counter<'action' | 'limit'>): RateLimits {
  const limiters = Object.fromEntries(
    Object.entries(rules).map(([action, rule]) => [
      action,
      {
        ip: createLimiter(store, `rl:${action}:ip`, rule.ip),
        identifier: rule.identifier ? createLimiter(store, `rl:${action}:id`, rule.identifier) : null,
      },
    ]),
  ) as Record<RateLimitedAction, { ip: RateLimiterAbstract; identifier: RateLimiterAbstract | null }>;

  async function take(limiter: RateLimiterAbstract, key: string): Promise<number> {
    try {
      await limiter.consume(key);
      return 0;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw rejection;
    }
  }

  return {
    async consume(action, { ip, identifier }) {
      const limiter = limiters[action];
      const waits = await Promise.all([
        take(limiter.ip, addressKey(ip)),
        limiter.identifier && identifier ? take(limiter.identifier, identifier) : Promise.resolve(0),
      ]);
      const retryAfterSeconds = Math.max(...waits);
      if (retryAfterSeconds === 0) return { ok: true };
      refusals?.inc({ action, limit: waits[0]! > 0 && waits[1]! > 0 ? 'both' : waits[0]! > 0 ? 'ip' : 'identifier' });
      return { ok: false, retryAfterSeconds };
    },
  };
}
