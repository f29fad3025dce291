import { describe, expect, it } from 'vitest';
import { resolveRequestLocalization, type ShopSettings } from './request-context.js';

const shop: ShopSettings = { defaultLocale: 'en', defaultCurrency: 'EUR', locales: ['en', 'de', 'fr', 'ja'], currencies: ['EUR', 'JPY', 'KWD'] };
const resolve = (request: Parameters<typeof resolveRequestLocalization>[0]) => resolveRequestLocalization(request, shop);

describe('resolveRequestLocalization', () => {
  it('prefers the explicit choice, then the profile, then Accept-Language, then the default', () => {
    const all = { explicit: { locale: 'ja', currency: 'JPY' }, profile: { locale: 'de', currency: 'KWD' }, acceptLanguage: 'fr' };
    expect(resolve(all)).toEqual({ locale: 'ja', currency: 'JPY', localeSource: 'explicit', currencySource: 'explicit' });
    expect(resolve({ ...all, explicit: {} })).toEqual({ locale: 'de', currency: 'KWD', localeSource: 'profile', currencySource: 'profile' });
    expect(resolve({ acceptLanguage: 'fr' })).toEqual({ locale: 'fr', currency: 'EUR', localeSource: 'accept-language', currencySource: 'default' });
    expect(resolve({})).toEqual({ locale: 'en', currency: 'EUR', localeSource: 'default', currencySource: 'default' });
  });

  it('walks a locale down to an enabled one: fr-CA → fr', () => {
    expect(resolve({ explicit: { locale: 'fr-CA' } })).toMatchObject({ locale: 'fr', localeSource: 'explicit' });
    expect(resolve({ explicit: { locale: 'de-AT-u-co-phonebk' } })).toMatchObject({ locale: 'de', localeSource: 'explicit' });
  });

  it('never lets a disabled or unknown locale or currency win: it falls through to the next source', () => {
    expect(resolve({ explicit: { locale: 'pt-BR', currency: 'USD' }, profile: { locale: 'de', currency: 'JPY' } })).toEqual({
      locale: 'de',
      currency: 'JPY',
      localeSource: 'profile',
      currencySource: 'profile',
    });
    expect(resolve({ explicit: { locale: 'klingon', currency: 'XAU' } })).toEqual({ locale: 'en', currency: 'EUR', localeSource: 'default', currencySource: 'default' });
    expect(resolve({ explicit: { currency: 'jpy' } })).toMatchObject({ currency: 'JPY', currencySource: 'explicit' });
  });

  it('reads Accept-Language by q-value, skipping what is not enabled', () => {
    expect(resolve({ acceptLanguage: 'pt-BR, de;q=0.5, fr;q=0.8' })).toMatchObject({ locale: 'fr', localeSource: 'accept-language' });
    expect(resolve({ acceptLanguage: 'de-CH;q=0.9, ja;q=0.1' })).toMatchObject({ locale: 'de' });
    expect(resolve({ acceptLanguage: 'fr;q=0, ja' })).toMatchObject({ locale: 'ja' });
    expect(resolve({ acceptLanguage: '*, pt' })).toMatchObject({ locale: 'en', localeSource: 'default' });
    expect(resolve({ acceptLanguage: ';;;,,q=1' })).toMatchObject({ locale: 'en', localeSource: 'default' });
  });
});
