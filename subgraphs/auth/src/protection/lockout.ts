import type { Counter } from 'prom-client';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LockoutPolicy } from '../config.js';
import { createLimiter, type CounterStore } from './rate-limits.js';

const LOCKOUT_MEMORY_SECONDS = 24 * 60 * 60;

/** One sign-in attempt, counted before its password is checked. */
export interface Attempt {
  /** False when the identifier is locked, or this attempt is beyond the threshold. */
  allowed: boolean;
  /** This attempt used up the last one before the lockout. */
  last: boolean;
}

export interface Lockout {
  /**
   * Counts an attempt as failed before the password is checked (and `succeed` gives it back), so
   * concurrent guesses cannot all be checked against the hash before the count catches up.
   */
  begin(identifier: string): Promise<Attempt>;
  /** The attempt failed; true when it locked the identifier. */
  fail(identifier: string, attempt: Attempt): Promise<boolean>;
  /** A successful sign-in clears the count and the lockout history. */
  succeed(identifier: string): Promise<void>;
}

/**
 * Keycloak-style brute-force protection, per identifier (the normalized e-mail, whether or not an
 * account uses it): `threshold` failures within the window lock it for `baseSeconds`; each further
 * lockout within a day doubles the wait, up to `maxSeconds`.
 */
export function createLockout(store: CounterStore, policy: LockoutPolicy, counted?: { lockouts: Counter; lockedAttempts: Counter }): Lockout {
  const failures: RateLimiterAbstract = createLimiter(store, 'lockout:failures', { points: policy.threshold, durationSeconds: policy.windowSeconds });
  const lockouts: RateLimiterAbstract = createLimiter(store, 'lockout:count', { points: 1_000_000, durationSeconds: LOCKOUT_MEMORY_SECONDS });

  return {
    async begin(identifier) {
      try {
        const counted = await failures.consume(identifier);
        return { allowed: true, last: counted.remainingPoints === 0 };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          counted?.lockedAttempts.inc();
          return { allowed: false, last: false };
        }
        throw rejection;
      }
    },

    async fail(identifier, attempt) {
      if (!attempt.last) return false;
      const { consumedPoints: previousLockouts } = await lockouts.consume(identifier);
      const wait = Math.min(policy.baseSeconds * 2 ** (previousLockouts - 1), policy.maxSeconds);
      await failures.block(identifier, wait);
      counted?.lockouts.inc();
      return true;
    },

    async succeed(identifier) {
      await Promise.all([failures.delete(identifier), lockouts.delete(identifier)]);
    },
  };
}
