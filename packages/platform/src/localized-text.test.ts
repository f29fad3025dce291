import { describe, expect, it } from 'vitest';
import { canonicalLocale, fallbackChain, pickLocalized } from './localized-text.js';

describe('canonicalLocale', () => {
  it('canonicalizes BCP 47 tags and refuses what is not one', () => {
    expect(canonicalLocale('en-gb')).toBe('en-GB');
    expect(canonicalLocale('ZH-hant-tw')).toBe('zh-Hant-TW');
    for (const bad of ['', 'english', 'en_GB', 'x', '12', 'a'.repeat(40)]) expect(canonicalLocale(bad), bad).toBeNull();
  });
});

describe('fallbackChain', () => {
  it('walks from the most specific tag to the default', () => {
    expect(fallbackChain('fr-CA', 'en')).toEqual(['fr-CA', 'fr', 'en']);
    expect(fallbackChain('zh-Hant-TW', 'en-GB')).toEqual(['zh-Hant-TW', 'zh-Hant', 'zh', 'en-GB', 'en']);
    expect(fallbackChain('de-DE-u-co-phonebk', 'en')).toEqual(['de-DE', 'de', 'en']);
    expect(fallbackChain('en-US', 'en')).toEqual(['en-US', 'en']);
    expect(fallbackChain('not a locale', 'de')).toEqual(['de']);
  });
});

describe('pickLocalized', () => {
  const name = new Map([
    ['fr', 'Chaussure'],
    ['en', 'Shoe'],
  ]);

  it('takes the first locale of the chain that has a value and says whether it fell back', () => {
    expect(pickLocalized(name, ['fr-CA', 'fr', 'en'])).toEqual({ value: 'Chaussure', locale: 'fr', isFallback: true });
    expect(pickLocalized(name, ['fr', 'en'])).toEqual({ value: 'Chaussure', locale: 'fr', isFallback: false });
    expect(pickLocalized({ en: 'Shoe' }, ['de-AT', 'de', 'en'])).toEqual({ value: 'Shoe', locale: 'en', isFallback: true });
    expect(pickLocalized(name, ['ja'])).toBeNull();
  });
});
