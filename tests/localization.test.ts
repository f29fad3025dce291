import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op, startTestGraph, type GraphQLResponse, type TestGraph } from './support/graph.js';
import { eventually } from './support/eventually.js';
import { registerUser } from './support/seed.js';

const SAMPLE = new URL('../db/seed/eurofxref-daily-2022-07-08.xml', import.meta.url);

let graph: TestGraph;
let admin: string;

beforeAll(async () => {
  graph = await startTestGraph({ env: { ADMIN_EMAILS: ' Boss@Example.com ' } });
  const someone = await registerUser(graph);
  admin = await graph.mintAccessToken({ userId: someone.id, roles: ['customer', 'admin'] });
});
afterAll(() => graph?.stop());

type Data = Record<string, Record<string, unknown>>;
const context = (response: GraphQLResponse<Data>) => response.context;
const asAdmin = (name: string, variables: Record<string, unknown>) => graph.request<Data>(op(name), variables, { token: admin });

async function enable(...codes: string[]) {
  for (const code of codes) {
    const mutation = /^[A-Z]{3}$/.test(code) ? 'EnableCurrency' : 'EnableLocale';
    const result = await asAdmin(mutation, { code });
    expect(result.body.data?.[mutation === 'EnableCurrency' ? 'enableCurrency' : 'enableLocale']?.__typename, code).toBe('ShopUpdated');
  }
  // The router reads the shop's settings on a short interval (SHOP_SETTINGS_REFRESH_MS): wait until it resolves each new code.
  await eventually(async () => {
    for (const code of codes) {
      const currency = /^[A-Z]{3}$/.test(code);
      const response = await graph.request<Data>(op('Shop'), {}, { headers: { [currency ? 'x-meridian-currency' : 'x-meridian-locale']: code } });
      expect(context(response)).toMatchObject(currency ? { currency: code } : { locale: code });
    }
  });
}

describe('the shop before anything is configured', () => {
  it('sells in English and euros, and says so in extensions.context', async () => {
    const response = await graph.request<Data>(op('Shop'));
    expect(response.body.data!.shop).toEqual({ defaultLocale: 'en', defaultCurrency: 'EUR', locales: ['en'], currencies: ['EUR'] });
    expect(context(response)).toEqual({ locale: 'en', currency: 'EUR' });
  });

  it('leaves the settings to admins', async () => {
    const customer = await registerUser(graph);
    const refused = await graph.request<Data>(op('EnableCurrency'), { code: 'JPY' }, { token: customer.accessToken });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await graph.request<Data>(op('EnableCurrency'), { code: 'JPY' });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('the first admin', () => {
  it('is the account ADMIN_EMAILS names: it gets the admin role when it signs in, and may change the shop', async () => {
    const boss = await registerUser(graph, { email: 'boss@example.com' });
    const login = await graph.request<Data>(op('Login'), { input: { email: 'boss@example.com', password: boss.password } });
    expect(login.body.data!.login).toMatchObject({ __typename: 'AuthSession', user: { roles: ['CUSTOMER', 'ADMIN'] } });
    const enabled = await graph.request<Data>(op('EnableLocale'), { code: 'it' }, { token: login.body.data!.login!.accessToken as string });
    expect(enabled.body.data!.enableLocale).toMatchObject({ __typename: 'ShopUpdated', shop: { locales: expect.arrayContaining(['it']) } });
    const [event] = await graph.sql`select details from auth.audit_events where kind = 'role_granted' and user_id = ${boss.id}`;
    expect(event?.details).toEqual({ role: 'admin', by: 'ADMIN_EMAILS' });
    const someoneElse = await registerUser(graph);
    const refused = await graph.request<Data>(op('EnableLocale'), { code: 'es' }, { token: someoneElse.accessToken });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('currencies, rates and conversions', () => {
  beforeAll(async () => {
    await enable('JPY', 'KWD', 'CLF', 'USD', 'GBP', 'de', 'fr', 'ja');
    const imported = await asAdmin('ImportExchangeRates', { document: await readFile(SAMPLE, 'utf8') });
    // 30 ISO currencies, each stored as published and inverted; HRK is no currency any more.
    expect(imported.body.data!.importExchangeRates).toEqual({ __typename: 'ExchangeRatesImported', days: ['2022-07-08'], inserted: 60, skipped: ['HRK'] });
  });

  it('imports a file once: the same file again stores nothing, a file that is no ECB file is refused', async () => {
    const again = await asAdmin('ImportExchangeRates', { document: await readFile(SAMPLE, 'utf8') });
    expect(again.body.data!.importExchangeRates).toMatchObject({ inserted: 0 });
    const bogus = await asAdmin('ImportExchangeRates', { document: '<html>maintenance</html>' });
    expect(bogus.body.data!.importExchangeRates).toMatchObject({ __typename: 'InvalidRateFile', code: 'VALIDATION_FAILED' });
  });

  it('converts with a published rate, names it, and formats in the request locale', async () => {
    const response = await graph.request<Data>(op('Convert'), { amount: '100.50', from: 'EUR', to: 'JPY' }, { headers: { 'x-meridian-locale': 'ja' } });
    const conversion = response.body.data!.convert!;
    // 100.50 × 138.05 = 13874.025: half-even to whole yen.
    expect(conversion).toMatchObject({
      __typename: 'Conversion',
      original: { amount: '100.50', currencyCode: 'EUR', minorUnits: '10050', formatted: '€100.50' },
      converted: { amount: '13874', currencyCode: 'JPY', minorUnits: '13874', formatted: '￥13,874' },
      rate: { from: 'EUR', to: 'JPY', rate: '138.05', asOf: '2022-07-08', source: 'ECB', derivation: 'PUBLISHED' },
    });
    expect(context(response)).toEqual({ locale: 'ja', currency: 'EUR' });
    const german = await graph.request<Data>(op('Convert'), { amount: '100.50', from: 'EUR', to: 'JPY' }, { headers: { 'x-meridian-locale': 'de' } });
    expect((german.body.data!.convert!.converted as Record<string, unknown>).formatted).toBe('13.874\u00a0¥');
  });

  it('crosses through the euro, with a rate of its own that stays the same', async () => {
    const first = await graph.request<Data>(op('ExchangeRate'), { from: 'USD', to: 'JPY' });
    const rate = first.body.data!.exchangeRate!;
    expect(rate).toMatchObject({ __typename: 'ExchangeRate', from: 'USD', to: 'JPY', derivation: 'CROSS', asOf: '2022-07-08', source: 'ECB' });
    // 138.05 / 1.0163, rounded to 18 places.
    expect(rate.rate).toBe('135.835875233690839319');
    const again = await graph.request<Data>(op('ExchangeRate'), { from: 'USD', to: 'JPY' });
    expect(again.body.data!.exchangeRate!.id).toBe(rate.id);
    const inverse = await graph.request<Data>(op('ExchangeRate'), { from: 'JPY', to: 'EUR' });
    expect(inverse.body.data!.exchangeRate).toMatchObject({ derivation: 'INVERSE', rate: '0.007243752263672582' });
  });

  it('answers RateUnavailable rather than guess, and refuses currencies the shop does not sell', async () => {
    const noRate = await graph.request<Data>(op('Convert'), { amount: '1.000', from: 'KWD', to: 'EUR' });
    expect(noRate.body.data!.convert).toMatchObject({ __typename: 'RateUnavailable', code: 'RATE_UNAVAILABLE', from: 'KWD', to: 'EUR' });
    const disabled = await graph.request<Data>(op('Convert'), { amount: '1.00', from: 'EUR', to: 'CHF' });
    expect(disabled.body.data!.convert).toMatchObject({ __typename: 'CurrencyNotEnabled', code: 'CURRENCY_NOT_ENABLED', currencyCode: 'CHF' });
    const tooPrecise = await graph.request<Data>(op('Convert'), { amount: '1.5', from: 'JPY', to: 'EUR' });
    expect(tooPrecise.body.data!.convert).toMatchObject({ __typename: 'ValidationFailed', fields: [{ field: 'amount', code: 'INVALID_FORMAT' }] });
  });

  it('keeps each currency’s own minor units end to end: JPY 0, KWD 3, CLF 4', async () => {
    for (const [amount, currency, minorUnits, formatted] of [
      ['1234', 'JPY', '1234', '¥1,234'],
      ['1.234', 'KWD', '1234', 'KWD\u00a01.234'],
      ['12.3456', 'CLF', '123456', 'CLF\u00a012.3456'],
      ['12345678901234567890.12', 'EUR', '1234567890123456789012', '€12,345,678,901,234,567,890.12'],
    ]) {
      const response = await graph.request<Data>(op('Convert'), { amount, from: currency, to: currency });
      expect(response.body.data!.convert, currency).toMatchObject({ original: { amount, currencyCode: currency, minorUnits, formatted }, rate: null });
    }
  });

  it('allocates 100.00 over three lines without losing a cent, in any currency', async () => {
    const euros = await graph.request<Data>(op('Allocate'), { amount: '100.00', currency: 'EUR', ratios: [1, 1, 1] });
    expect((euros.body.data!.allocate!.parts as { amount: string }[]).map((part) => part.amount)).toEqual(['33.34', '33.33', '33.33']);
    const dinars = await graph.request<Data>(op('Allocate'), { amount: '10.000', currency: 'KWD', ratios: [2, 1] });
    expect((dinars.body.data!.allocate!.parts as { amount: string }[]).map((part) => part.amount)).toEqual(['6.667', '3.333']);
    const refused = await graph.request<Data>(op('Allocate'), { amount: '1.00', currency: 'EUR', ratios: [0, 0] });
    expect(refused.body.data!.allocate).toMatchObject({ __typename: 'ValidationFailed', fields: [{ field: 'ratios' }] });
  });

  it('converts a page of prices at one rate', async () => {
    const amounts = Array.from({ length: 100 }, (_, index) => `${index + 1}.99`);
    const response = await graph.request<Data>(op('ConvertAll'), { amounts, from: 'EUR', to: 'GBP' }, { headers: { 'x-meridian-locale': 'en-GB' } });
    const result = response.body.data!.convertAll as { items: { converted: Record<string, string> }[]; rate: Record<string, string> };
    expect(result.items).toHaveLength(100);
    expect(result.rate).toMatchObject({ from: 'EUR', to: 'GBP', rate: '0.84585' });
    // 1.99 × 0.84585 = 1.6832415 → 1.68
    expect(result.items[0]!.converted).toMatchObject({ amount: '1.68', formatted: '£1.68' });
  });

  it('never shares an answer between requests in different locales', async () => {
    const [german, japanese] = await Promise.all(
      ['de', 'ja'].map((locale) => graph.request<Data>(op('Convert'), { amount: '5.00', from: 'EUR', to: 'EUR' }, { headers: { 'x-meridian-locale': locale } })),
    );
    expect((german!.body.data!.convert!.original as Record<string, string>).formatted).toBe('5,00\u00a0€');
    expect((japanese!.body.data!.convert!.original as Record<string, string>).formatted).toBe('€5.00');
  });
});

describe('the locale and currency of a request', () => {
  beforeAll(() => enable('fr', 'de', 'ja', 'JPY', 'KWD'));

  const resolved = async (options: { headers?: Record<string, string>; token?: string; query?: string }) =>
    context(await graph.request<Data>(options.query ?? op('Shop'), {}, { headers: options.headers ?? {}, ...(options.token ? { token: options.token } : {}) }));

  it('takes the headers, then the @inContext directive over them', async () => {
    expect(await resolved({ headers: { 'x-meridian-locale': 'de', 'x-meridian-currency': 'JPY' } })).toEqual({ locale: 'de', currency: 'JPY' });
    expect(
      await resolved({ headers: { 'x-meridian-locale': 'de', 'x-meridian-currency': 'JPY' }, query: 'query @inContext(locale: "ja", currency: KWD) { shop { defaultLocale } }' }),
    ).toEqual({ locale: 'ja', currency: 'KWD' });
  });

  it('follows the signed-in user’s profile, right after it changes', async () => {
    const user = await registerUser(graph);
    const updated = await graph.request<Data>(op('UpdateProfile'), { input: { preferredLocale: 'fr', preferredCurrency: 'JPY' } }, { token: user.accessToken });
    expect(updated.body.data!.updateProfile!.__typename).toBe('ProfileUpdated');
    expect(await resolved({ token: user.accessToken, headers: { 'accept-language': 'de' } })).toEqual({ locale: 'fr', currency: 'JPY' });
    await graph.request<Data>(op('UpdateProfile'), { input: { preferredLocale: 'de' } }, { token: user.accessToken });
    expect(await resolved({ token: user.accessToken })).toEqual({ locale: 'de', currency: 'JPY' });
    // An explicit choice still wins over the profile.
    expect(await resolved({ token: user.accessToken, headers: { 'x-meridian-locale': 'ja' } })).toEqual({ locale: 'ja', currency: 'JPY' });
  });

  it('negotiates Accept-Language by q-value, walking fr-CA down to fr', async () => {
    expect(await resolved({ headers: { 'accept-language': 'pt-BR, de;q=0.5, fr-CA;q=0.8' } })).toEqual({ locale: 'fr', currency: 'EUR' });
    expect(await resolved({ headers: { 'accept-language': 'fr;q=0, ja' } })).toEqual({ locale: 'ja', currency: 'EUR' });
  });

  it('never lets an unknown or disabled locale or currency win', async () => {
    expect(await resolved({ headers: { 'x-meridian-locale': 'pt', 'x-meridian-currency': 'CHF' } })).toEqual({ locale: 'en', currency: 'EUR' });
    expect(await resolved({ headers: { 'x-meridian-locale': 'not a locale', 'x-meridian-currency': 'EURO' } })).toEqual({ locale: 'en', currency: 'EUR' });
    const disabled = await asAdmin('DisableLocale', { code: 'ja' });
    expect(disabled.body.data!.disableLocale!.__typename).toBe('ShopUpdated');
    await eventually(async () => expect(await resolved({ headers: { 'x-meridian-locale': 'ja' } })).toEqual({ locale: 'en', currency: 'EUR' }));
    const defaultStays = await asAdmin('DisableCurrency', { code: 'EUR' });
    expect(defaultStays.body.data!.disableCurrency).toMatchObject({ __typename: 'DefaultCannotBeDisabled', code: 'DEFAULT_CANNOT_BE_DISABLED' });
    await asAdmin('EnableLocale', { code: 'ja' });
  });
});

describe('translations', () => {
  beforeAll(async () => {
    await enable('fr', 'de');
    for (const [locale, message] of [
      ['en', 'Your cart has {count, plural, one {# item} other {# items}}'],
      ['fr', 'Votre panier contient {count, plural, one {# article} other {# articles}}'],
    ] as const) {
      const saved = await asAdmin('SetMessage', { input: { namespace: 'cart', key: 'summary', locale, message } });
      expect(saved.body.data!.setMessage!.__typename).toBe('MessageSaved');
    }
    await asAdmin('SetMessage', { input: { namespace: 'cart', key: 'empty', locale: 'en', message: 'Nothing here yet' } });
  });

  it('answers each key in the best locale along the fallback chain, saying when it fell back', async () => {
    const quebec = await graph.request<Data>(op('Messages'), { namespace: 'cart', locale: 'fr-CA' });
    expect(quebec.body.data!.messages).toEqual([
      { key: 'empty', message: 'Nothing here yet', locale: 'en', isFallback: true },
      { key: 'summary', message: 'Votre panier contient {count, plural, one {# article} other {# articles}}', locale: 'fr', isFallback: true },
    ]);
    const french = await graph.request<Data>(op('Messages'), { namespace: 'cart', locale: 'fr' });
    expect((french.body.data!.messages as unknown as { key: string; isFallback: boolean }[]).find((message) => message.key === 'summary')?.isFallback).toBe(false);
  });

  it('uses the request’s locale when none is given', async () => {
    const german = await graph.request<Data>(op('Messages'), { namespace: 'cart' }, { headers: { 'x-meridian-locale': 'de' } });
    expect(german.body.data!.messages).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'summary', locale: 'en', isFallback: true })]));
  });

  it('refuses a message that is not valid ICU', async () => {
    const broken = await asAdmin('SetMessage', { input: { namespace: 'cart', key: 'broken', locale: 'en', message: '{count, plural, one {x}}' } });
    expect(broken.body.data!.setMessage).toMatchObject({ __typename: 'ValidationFailed', fields: [{ field: 'message', code: 'INVALID_FORMAT' }] });
  });
});

describe('e-mails about an account', () => {
  it('follow the language the profile prefers now, not the one given at sign-up', async () => {
    // Signed up in English (the account's language); the profile given at sign-up arrives through the outbox.
    const user = await registerUser(graph, { preferredLocale: 'en', displayName: 'Grete' });
    await eventually(async () => {
      const me = await graph.request<{ me: { profile: { displayName: string | null } } }>(op('Me'), {}, { token: user.accessToken });
      expect(me.body.data!.me.profile.displayName).toBe('Grete');
    });
    const updated = await graph.request<Data>(op('UpdateProfile'), { input: { preferredLocale: 'de-AT' } }, { token: user.accessToken });
    expect(updated.body.data!.updateProfile!.__typename).toBe('ProfileUpdated');
    await graph.request<Data>(op('RequestPasswordReset'), { email: user.email });
    const mail = await graph.mailbox.waitFor((received) => received.to === user.email && received.link?.includes('/reset-password') === true);
    expect(mail.language).toBe('de');
  });
});
