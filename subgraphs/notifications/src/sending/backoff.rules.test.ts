import { describe, expect, it } from 'vitest';
import { isExhausted, retryDelayMs } from './backoff.rules.js';

const options = { baseMs: 1_000, maxMs: 60_000 };

describe('retryDelayMs', () => {
  it('doubles with each attempt, between half and all of its step', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, options, () => 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, options, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryDelayMs(3, options, () => 0.5)).toBe(3_000);
  });

  it('never exceeds the cap, however many attempts', () => {
    expect(retryDelayMs(7, options, () => 1)).toBe(60_000);
    expect(retryDelayMs(200, options, () => 1)).toBe(60_000);
    expect(retryDelayMs(200, options, () => 0)).toBe(30_000);
  });

  it('spreads deliveries that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(5, options)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(8_000);
      expect(delay).toBeLessThanOrEqual(16_000);
    }
  });
});

describe('isExhausted', () => {
  it('gives up after the last allowed attempt', () => {
    expect([1, 2, 3, 4].map((attempts) => isExhausted(attempts, 3))).toEqual([false, false, true, true]);
  });
});
