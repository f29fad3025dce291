import { describe, expect, it } from 'vitest';
import { VerifiedTokenCache } from './verified-cache.js';

describe('VerifiedTokenCache', () => {
  it('returns a value until its token expires', () => {
    const cache = new VerifiedTokenCache<string>(10);
    cache.set('a', 'A', 1_000);
    expect(cache.get('a', 999)).toBe('A');
    expect(cache.get('a', 1_000)).toBeUndefined();
    expect(cache.get('a', 500)).toBeUndefined();
  });

  it('forgets the least recently used token beyond its capacity', () => {
    const cache = new VerifiedTokenCache<string>(2);
    cache.set('a', 'A', 10_000);
    cache.set('b', 'B', 10_000);
    expect(cache.get('a', 0)).toBe('A');
    cache.set('c', 'C', 10_000);
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('a', 0)).toBe('A');
    expect(cache.get('c', 0)).toBe('C');
  });
});
