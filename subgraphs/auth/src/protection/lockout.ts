import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LockoutPolicy } from '../config.js';
import { createLimiter, type CounterStore } from './rate-limits.js';

const LOCKOUT_MEMORY_SECONDS = 24 * 60 * 60;

export interface Lockout {
  /** Whether sign-in with this identifier is locked right now. */
  isLocked(identifier: string): Promise<boolean>;
  /** Counts a failed sign-in; true when this failure locked the identifier. */
  recordFailure(identifier: string): Promise<boolean>;
  /** A successful sign-in clears the count. */
  reset(identifier: string): Promise<void>;
}

/**
 * Keycloak-style brute-force protection, per identifier (the normalized e-mail, whether or not an
 * account uses it): `threshold` failures within the window lock it for `baseSeconds`; each further
 * lockout within a day doubles the wait, up to `maxSeconds`.
 */
export function createLockout(store: CounterStore, policy: LockoutPolicy): Lockout {
  const failures: RateLimiterAbstract = createLimiter(store, 'lockout:failures', { points: policy.threshold, durationSeconds: policy.windowSeconds });
  const lockouts: RateLimiterAbstract = createLimiter(store, 'lockout:count', { points: 1_000_000, durationSeconds: LOCKOUT_MEMORY_SECONDS });

  return {
    async isLocked(identifier) {
      const state = await failures.get(identifier);
      return state !== null && state.consumedPoints > policy.threshold;
    },

    async recordFailure(identifier) {
      let counted: RateLimiterRes;
      try {
        counted = await failures.consume(identifier);
      } catch (rejection) {
        // Past the threshold already: a concurrent failure locked it.
        if (rejection instanceof RateLimiterRes) return false;
        throw rejection;
      }
      if (counted.remainingPoints > 0) return false;
      const { consumedPoints: previousLockouts } = await lockouts.consume(identifier);
      const wait = Math.min(policy.baseSeconds * 2 ** (previousLockouts - 1), policy.maxSeconds);
      await failures.block(identifier, wait);
      return true;
    },

    async reset(identifier) {
      await Promise.all([failures.delete(identifier), lockouts.delete(identifier)]);
    },
  };
}
