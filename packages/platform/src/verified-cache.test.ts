import { describe, expect, it } from 'vitest';
import { VerifiedTokenCache } from './verified-cache.js';

describe('VerifiedTokenCache', () => {
  it('returns a value until its token expires', () => {
    const cache = new VerifiedTokenCache<string>(10);
    cache.set('a', 'A', 1_000, 0);
    expect(cache.get('a', 999)).toBe('A');
    expect(cache.get('a', 1_000)).toBeUndefined();
    expect(cache.get('a', 500)).toBeUndefined();
  });

  it('forgets the least recently used token beyond its capacity', () => {
    const cache = new VerifiedTokenCache<string>(2);
    cache.set('a', 'A', 10_000, 0);
    cache.set('b', 'B', 10_000, 0);
    expect(cache.get('a', 0)).toBe('A');
    cache.set('c', 'C', 10_000, 0);
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('a', 0)).toBe('A');
    expect(cache.get('c', 0)).toBe('C');
  });

  it('drops expired tokens as new ones arrive, so a cache of short-lived tokens stays small', () => {
    const cache = new VerifiedTokenCache<string>(10_000);
    for (let minute = 0; minute < 60; minute++) {
      for (let index = 0; index < 100; index++) cache.set(`${minute}:${index}`, 'token', (minute + 1) * 60_000, minute * 60_000 + index);
    }
    // Only the last minute's tokens are alive; without the sweep all 6,000 would stay.
    expect(cache.size).toBeLessThanOrEqual(200);
    expect(cache.get('59:99', 59 * 60_000 + 100)).toBe('token');
  });
});
