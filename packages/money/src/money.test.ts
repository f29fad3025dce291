import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CURRENCIES, currency } from './currencies.js';
import { formatMoney, parseFormattedMoney } from './format.js';
import { add, allocate, convert, fraction, money, multiply, parseMoney, percentage, subtract, sum, toDecimal, type Money } from './money.js';

const m = (text: string, code: string) => parseMoney(text, code);
const decimals = (values: Money[]) => values.map(toDecimal);

describe('currencies', () => {
  it('takes minor units from ISO 4217 data', () => {
    expect([...['JPY', 'EUR', 'KWD', 'BHD', 'TND', 'CLF']].map((code) => [code, currency(code).digits])).toEqual([
      ['JPY', 0],
      ['EUR', 2],
      ['KWD', 3],
      ['BHD', 3],
      ['TND', 3],
      ['CLF', 4],
    ]);
  });

  it('leaves out units of account without minor units (gold, SDR, testing)', () => {
    for (const code of ['XAU', 'XAG', 'XDR', 'XTS', 'XXX']) expect(CURRENCIES.has(code), code).toBe(false);
    expect(() => money(1n, 'XAU')).toThrow(/not an ISO 4217 currency/);
    expect(CURRENCIES.size).toBeGreaterThan(150);
  });
});

describe('decimal strings', () => {
  it('parses and prints each currency with its own decimal places', () => {
    expect(m('1234', 'JPY')).toEqual({ minorUnits: 1234n, currency: 'JPY' });
    expect(m('1.234', 'KWD')).toEqual({ minorUnits: 1234n, currency: 'KWD' });
    expect(m('0.0001', 'CLF')).toEqual({ minorUnits: 1n, currency: 'CLF' });
    expect(toDecimal(money(1234n, 'JPY'))).toBe('1234');
    expect(toDecimal(money(1234n, 'KWD'))).toBe('1.234');
    expect(toDecimal(money(-50n, 'EUR'))).toBe('-0.50');
    expect(toDecimal(m('100.500', 'EUR'))).toBe('100.50');
  });

  it('keeps integers far beyond 2^53', () => {
    const huge = m('123456789012345678901234567890.12', 'EUR');
    expect(huge.minorUnits).toBe(12345678901234567890123456789012n);
    expect(toDecimal(huge)).toBe('123456789012345678901234567890.12');
  });

  it('refuses more decimals than the currency has unless asked to round, and anything that is not a decimal', () => {
    expect(() => m('1.5', 'JPY')).toThrow(expect.objectContaining({ code: 'TOO_MANY_DECIMALS' }));
    expect(() => m('0.125', 'EUR')).toThrow(expect.objectContaining({ code: 'TOO_MANY_DECIMALS' }));
    expect(parseMoney('0.125', 'EUR', { rounding: 'halfEven' })).toEqual(money(12n, 'EUR'));
    expect(parseMoney('0.135', 'EUR', { rounding: 'halfEven' })).toEqual(money(14n, 'EUR'));
    for (const bad of ['', '1e3', '1,5', ' 1', '+1', '.5', '1.', 'NaN', '0x10']) {
      expect(() => m(bad, 'EUR'), bad).toThrow(expect.objectContaining({ code: 'INVALID_AMOUNT' }));
    }
  });
});

describe('arithmetic', () => {
  it('adds, subtracts and multiplies by quantity in minor units', () => {
    expect(toDecimal(add(m('0.10', 'EUR'), m('0.20', 'EUR')))).toBe('0.30');
    expect(toDecimal(subtract(m('1.000', 'KWD'), m('0.001', 'KWD')))).toBe('0.999');
    expect(toDecimal(multiply(m('19.99', 'EUR'), 3))).toBe('59.97');
    expect(toDecimal(sum([m('1', 'JPY'), m('2', 'JPY')], 'JPY'))).toBe('3');
    expect(() => add(m('1', 'JPY'), m('1', 'EUR'))).toThrow(expect.objectContaining({ code: 'CURRENCY_MISMATCH' }));
    expect(() => multiply(m('1', 'EUR'), 1.5)).toThrow(expect.objectContaining({ code: 'INVALID_QUANTITY' }));
  });

  it('takes a percentage with half-even rounding by default, or the mode asked for', () => {
    expect(toDecimal(percentage(m('10.05', 'EUR'), '10'))).toBe('1.00'); // 1.005 → 1.00 (to even)
    expect(toDecimal(percentage(m('10.15', 'EUR'), '10'))).toBe('1.02'); // 1.015 → 1.02 (to even)
    expect(toDecimal(percentage(m('10.05', 'EUR'), '10', 'halfUp'))).toBe('1.01');
    expect(toDecimal(percentage(m('1000', 'JPY'), '8'))).toBe('80');
    expect(toDecimal(percentage(m('12.345', 'KWD'), '7.7'))).toBe('0.951');
  });

  it('allocates 100.00 over three lines without losing a cent', () => {
    expect(decimals(allocate(m('100.00', 'EUR'), [1, 1, 1]))).toEqual(['33.34', '33.33', '33.33']);
    expect(decimals(allocate(m('100', 'JPY'), [1, 1, 1]))).toEqual(['34', '33', '33']);
    expect(decimals(allocate(m('10.000', 'KWD'), ['0.5', '0.25', '0.25']))).toEqual(['5.000', '2.500', '2.500']);
    expect(() => allocate(m('1', 'EUR'), [0, 0])).toThrow(expect.objectContaining({ code: 'INVALID_RATIOS' }));
    expect(() => allocate(m('1', 'EUR'), [1, -1])).toThrow(expect.objectContaining({ code: 'INVALID_RATIOS' }));
  });

  it('takes a fraction no percentage names exactly, half-even by default', () => {
    // The VAT inside a tax-inclusive 119.00 at 19 %: 119 × 19 / 119.
    expect(toDecimal(fraction(m('119.00', 'EUR'), 19, 119))).toBe('19.00');
    expect(toDecimal(fraction(m('10.00', 'EUR'), 19, 119))).toBe('1.60'); // 1.596… → 1.60
    expect(toDecimal(fraction(m('0.05', 'EUR'), 1, 2))).toBe('0.02'); // 0.025 → 0.02 (to even)
    expect(toDecimal(fraction(m('0.05', 'EUR'), 1, 2, 'halfUp'))).toBe('0.03');
    expect(toDecimal(fraction(m('-0.05', 'EUR'), 1, 2))).toBe('-0.02');
    expect(toDecimal(fraction(m('1000', 'JPY'), 10, 110))).toBe('91');
    expect(() => fraction(m('1', 'EUR'), 1, 0)).toThrow(expect.objectContaining({ code: 'INVALID_RATIOS' }));
  });

  it('converts with a rate and rounds to the target currency', () => {
    expect(convert(m('100.50', 'EUR'), '162.34', 'JPY')).toEqual(money(16315n, 'JPY'));
    expect(convert(m('1000', 'JPY'), '0.006160', 'EUR')).toEqual(money(616n, 'EUR'));
    expect(convert(m('10.00', 'EUR'), '0.3312', 'KWD')).toEqual(money(3312n, 'KWD'));
    expect(() => convert(m('1', 'EUR'), '0', 'JPY')).toThrow(expect.objectContaining({ code: 'INVALID_RATE' }));
    expect(() => convert(m('1', 'EUR'), '-1', 'JPY')).toThrow(expect.objectContaining({ code: 'INVALID_RATE' }));
  });
});

describe('formatting', () => {
  it('formats with the locale and the currency’s own decimal places', () => {
    expect(formatMoney(m('1234', 'JPY'), 'ja-JP')).toBe('￥1,234');
    expect(formatMoney(m('1234.50', 'EUR'), 'de-DE')).toBe('1.234,50\u00a0€');
    expect(formatMoney(m('1234.567', 'KWD'), 'en-US')).toBe('KWD\u00a01,234.567');
    expect(formatMoney(m('12.3456', 'CLF'), 'es-CL')).toMatch(/12,3456/);
    expect(formatMoney(m('123456789012345678901234567890.12', 'EUR'), 'en-IE')).toBe('€123,456,789,012,345,678,901,234,567,890.12');
  });
});

// Property-based checks over every currency with minor units.
const currencyCodes = [...CURRENCIES.keys()];
const anyCurrency = fc.constantFrom(...currencyCodes);
const minorUnits = fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n });
const locales = fc.constantFrom('en-US', 'de-DE', 'fr-CA', 'ja-JP', 'ar-EG', 'hi-IN', 'de-CH', 'ar-KW', 'fa-IR', 'pt-BR', 'es-CL');

describe('properties', () => {
  // MONEY_PROPERTY_RUNS=5000 for a deeper run than the default 100 cases per property.
  fc.configureGlobal({ numRuns: Number(process.env.MONEY_PROPERTY_RUNS ?? 100) });
  it('allocation always sums to the total and gives each part within one unit of its exact share', () => {
    fc.assert(
      fc.property(anyCurrency, minorUnits, fc.array(fc.nat({ max: 1_000 }), { minLength: 1, maxLength: 12 }).filter((ratios) => ratios.some((ratio) => ratio > 0)), (code, units, ratios) => {
        const total = money(units, code);
        const parts = allocate(total, ratios);
        expect(sum(parts, code)).toEqual(total);
        const weight = BigInt(ratios.reduce((a, b) => a + b, 0));
        parts.forEach((part, index) => {
          const exactTimesWeight = units * BigInt(ratios[index]!);
          const difference = part.minorUnits * weight - exactTimesWeight;
          expect(difference < 0n ? -difference : difference).toBeLessThanOrEqual(weight);
        });
      }),
    );
  });

  it('a fraction is the exact share rounded to the nearest minor unit, ties to even', () => {
    fc.assert(
      fc.property(minorUnits, fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (units, numerator, denominator) => {
        const part = fraction(money(units, 'EUR'), numerator, denominator).minorUnits;
        // |part × denominator − units × numerator| ≤ denominator / 2, and an exact half rounds to an even part.
        const twiceDistance = 2n * (part * denominator - units * numerator);
        const absolute = twiceDistance < 0n ? -twiceDistance : twiceDistance;
        expect(absolute <= denominator).toBe(true);
        if (absolute === denominator) expect(part % 2n).toBe(0n);
      }),
    );
  });

  it('a conversion there and back stays within one minor unit', () => {
    const decimal = (scaled: bigint, places: number) => `${scaled / 10n ** BigInt(places)}.${(scaled % 10n ** BigInt(places)).toString().padStart(places, '0')}`;
    fc.assert(
      fc.property(anyCurrency, anyCurrency, fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: 0n, max: 10n ** 9n }), (from, to, units, extra) => {
        // Rates (in millionths) at which one minor unit of `from` is worth at least one of `to`: any
        // coarser target cannot hold the source's precision, so no conversion could come back exactly.
        const shift = BigInt(currency(to).digits - currency(from).digits);
        const least = shift >= 0n ? (10n ** 6n + 10n ** shift - 1n) / 10n ** shift : 10n ** 6n * 10n ** -shift;
        const millionths = least + extra;
        const rate = decimal(millionths, 6);
        const inverse = decimal((10n ** 36n + millionths / 2n) / millionths, 30);
        const original = money(units, from);
        const back = convert(convert(original, rate, to), inverse, from);
        const difference = back.minorUnits - original.minorUnits;
        expect(difference < 0n ? -difference : difference).toBeLessThanOrEqual(1n);
      }),
    );
  });

  it('formatting round-trips through parsing in every locale', () => {
    fc.assert(
      fc.property(anyCurrency, minorUnits, locales, (code, units, locale) => {
        const value = money(units, code);
        expect(parseFormattedMoney(formatMoney(value, locale), locale, code)).toEqual(value);
      }),
    );
  });

  it('decimal strings round-trip', () => {
    fc.assert(
      fc.property(anyCurrency, minorUnits, (code, units) => {
        expect(parseMoney(toDecimal(money(units, code)), code)).toEqual(money(units, code));
      }),
    );
  });
});
