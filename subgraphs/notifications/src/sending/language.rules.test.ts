import { describe, expect, it } from 'vitest';
import { messageLocale } from './language.rules.js';

const shop = { defaultLocale: 'en', locales: ['de', 'en', 'es', 'fr'] };

describe('messageLocale', () => {
  it('follows the account’s preference, then the order’s language, then the shop’s default', () => {
    expect(messageLocale({ preferred: 'fr', orderLocale: 'de' }, shop)).toBe('fr');
    expect(messageLocale({ preferred: null, orderLocale: 'de' }, shop)).toBe('de');
    expect(messageLocale({ preferred: 'ja', orderLocale: 'it' }, shop)).toBe('en');
  });

  it('serves a regional tag with its language and skips one the shop does not offer', () => {
    expect(messageLocale({ preferred: 'fr-CA', orderLocale: 'en' }, shop)).toBe('fr');
    expect(messageLocale({ preferred: 'es', orderLocale: 'en' }, { defaultLocale: 'en', locales: ['en', 'de'] })).toBe('en');
    expect(messageLocale({ preferred: 'not a tag!', orderLocale: 'de-AT' }, shop)).toBe('de');
  });
});
