import { describe, expect, it } from 'vitest';
import type { Validated } from '@meridian/platform';
import { validateProfilePatch, type ProfilePatch } from './profile.rules.js';
import { toProfile } from './profile.model.js';

function accepted(result: Validated<ProfilePatch>): ProfilePatch {
  if (!result.ok) throw new Error(`expected a valid patch, got ${JSON.stringify(result.violations)}`);
  return result.value;
}

function rejected(result: Validated<ProfilePatch>): { field: string; code: string }[] {
  if (result.ok) throw new Error(`expected violations, got ${JSON.stringify(result.value)}`);
  return result.violations.map(({ field, code }) => ({ field, code }));
}

describe('validateProfilePatch', () => {
  it('leaves absent keys absent', () => {
    expect(validateProfilePatch({})).toStrictEqual({ ok: true, value: {} });
    expect(validateProfilePatch({ displayName: 'Ada' })).toStrictEqual({ ok: true, value: { displayName: 'Ada' } });
  });

  it('keeps an explicit null, which clears the field', () => {
    const patch = { displayName: null, phone: null, preferredLocale: null, preferredCurrency: null };
    expect(validateProfilePatch(patch)).toStrictEqual({ ok: true, value: patch });
  });

  it('normalizes every field it is given', () => {
    const result = validateProfilePatch({
      displayName: '  Zoe\u0308   Q ',
      phone: '+44 7911 123456',
      preferredLocale: 'zh-hant-tw',
      preferredCurrency: 'EUR',
    });
    expect(result).toStrictEqual({
      ok: true,
      value: { displayName: 'Zo\u00eb Q', phone: '+447911123456', preferredLocale: 'zh-Hant-TW', preferredCurrency: 'EUR' },
    });
  });

  describe('displayName', () => {
    it('clears the name when only whitespace is given', () => {
      expect(accepted(validateProfilePatch({ displayName: ' \t ' }))).toStrictEqual({ displayName: null });
    });

    it('allows 100 characters and no more', () => {
      expect(accepted(validateProfilePatch({ displayName: 'é'.repeat(100) })).displayName).toHaveLength(100);
      expect(rejected(validateProfilePatch({ displayName: 'a'.repeat(101) }))).toEqual([{ field: 'displayName', code: 'TOO_LONG' }]);
    });

    it('rejects control characters', () => {
      expect(rejected(validateProfilePatch({ displayName: 'Ada\u0008 Lovelace' }))).toEqual([
        { field: 'displayName', code: 'INVALID_FORMAT' },
      ]);
    });
  });

  describe('phone', () => {
    it.each([
      ['+1 (650) 253-0000', '+16502530000'],
      ['+81 90-1234-5678', '+819012345678'],
      ['  +49 30 901820 ', '+4930901820'],
    ])('stores %j as %j', (phone, e164) => {
      expect(accepted(validateProfilePatch({ phone })).phone).toBe(e164);
    });

    it.each(['07911 123456', '650 253 0000', '+44 12', '+1 650 253 0000 x 5'])('rejects %j', (phone) => {
      const result = validateProfilePatch({ phone });
      expect(result).toStrictEqual({
        ok: false,
        violations: [
          {
            field: 'phone',
            code: 'INVALID_PHONE',
            message: 'phone must be a valid phone number in international format, starting with +, without an extension.',
          },
        ],
      });
    });
  });

  describe('preferredLocale', () => {
    it.each([
      ['en-us', 'en-US'],
      ['zh-hant-tw', 'zh-Hant-TW'],
      ['FR-ca', 'fr-CA'],
      ['sr-latn', 'sr-Latn'],
      ['iw', 'he'],
    ])('canonicalizes %j to %j', (preferredLocale, canonical) => {
      expect(accepted(validateProfilePatch({ preferredLocale })).preferredLocale).toBe(canonical);
    });

    it.each(['en_US', 'english', 'xx-US', 'en-', '12', 'x'])('rejects %j', (preferredLocale) => {
      expect(rejected(validateProfilePatch({ preferredLocale }))).toEqual([{ field: 'preferredLocale', code: 'INVALID_LOCALE' }]);
    });
  });

  it('keeps the currency as given: the GraphQL enum CurrencyCode admits only currencies in use', () => {
    expect(accepted(validateProfilePatch({ preferredCurrency: 'JPY' })).preferredCurrency).toBe('JPY');
  });

  it('reports every violation at once', () => {
    const result = validateProfilePatch({ displayName: 'x'.repeat(101), phone: '123', preferredLocale: 'en_GB', preferredCurrency: 'EUR' });
    expect(rejected(result)).toEqual([
      { field: 'displayName', code: 'TOO_LONG' },
      { field: 'phone', code: 'INVALID_PHONE' },
      { field: 'preferredLocale', code: 'INVALID_LOCALE' },
    ]);
  });
});

describe('toProfile', () => {
  it('reads a currency the schema cannot express (saved before CurrencyCode was an enum) as no preference', () => {
    const row = { displayName: 'Ada', phone: null, preferredLocale: 'en-GB', preferredCurrency: 'XDR' };
    expect(toProfile(row)).toEqual({ ...row, preferredCurrency: null });
    expect(toProfile({ ...row, preferredCurrency: 'CLF' }).preferredCurrency).toBe('CLF');
    expect(toProfile(null)).toEqual({ displayName: null, phone: null, preferredLocale: null, preferredCurrency: null });
  });
});
