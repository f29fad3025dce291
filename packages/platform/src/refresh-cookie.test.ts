import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { REFRESH_COOKIE_MAX_AGE_LIMIT_SECONDS, formatRefreshCookieUpdate, parseRefreshCookieUpdate } from './refresh-cookie.js';

describe('the refresh cookie update header (auth service → router)', () => {
  const token = randomBytes(32).toString('base64url');

  it('reads back what the auth service writes', () => {
    for (const update of [{ action: 'store', token, maxAgeSeconds: 2_592_000 }, { action: 'clear' }] as const) {
      expect(parseRefreshCookieUpdate(formatRefreshCookieUpdate(update))).toEqual(update);
    }
  });

  it('ignores anything else: no header, not JSON, an unknown action, a value that is no refresh token, a lifetime out of range', () => {
    const store = (fields: Record<string, unknown>) => JSON.stringify({ action: 'store', token, maxAgeSeconds: 60, ...fields });
    for (const value of [
      null,
      undefined,
      '',
      'store',
      '[]',
      'null',
      JSON.stringify({ action: 'set', token, maxAgeSeconds: 60 }),
      store({ token: `${token}; Domain=evil.example` }),
      store({ token: token.slice(1) }),
      store({ token: 42 }),
      store({ maxAgeSeconds: 0 }),
      store({ maxAgeSeconds: 1.5 }),
      store({ maxAgeSeconds: '60' }),
      store({ maxAgeSeconds: REFRESH_COOKIE_MAX_AGE_LIMIT_SECONDS + 1 }),
    ]) {
      expect(parseRefreshCookieUpdate(value)).toBeNull();
    }
  });
});
