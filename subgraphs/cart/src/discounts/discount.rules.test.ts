import { describe, expect, it } from 'vitest';
import { discountRejection, displayPercentage, normalizeDiscountCode, readDiscountCodeInput, type DiscountCodeTerms } from './discount.rules.js';

const now = new Date('2026-12-01T12:00:00Z');
const percentOff: DiscountCodeTerms = { kind: 'percentage', percentage: '10.00', amountMinor: null, currency: null, startsAt: new Date('2026-11-01T00:00:00Z'), endsAt: null, usageLimit: null, timesUsed: 0 };
const fiveEuros: DiscountCodeTerms = { ...percentOff, kind: 'fixed', percentage: null, amountMinor: 500n, currency: 'EUR' };

describe('discount codes', () => {
  it('are typed in any case and stored in upper case', () => {
    expect(normalizeDiscountCode(' welcome10 ')).toBe('WELCOME10');
    expect(normalizeDiscountCode('summer-sale_2026')).toBe('SUMMER-SALE_2026');
    expect(normalizeDiscountCode('no')).toBeNull();
    expect(normalizeDiscountCode('with space')).toBeNull();
    expect(normalizeDiscountCode('x'.repeat(33))).toBeNull();
  });

  it('apply within their window, below their usage limit, and (fixed amounts) in their currency only', () => {
    expect(discountRejection(percentOff, 'USD', now)).toBeNull();
    expect(discountRejection(fiveEuros, 'EUR', now)).toBeNull();
    expect(discountRejection(fiveEuros, 'GBP', now)).toBe('CURRENCY_MISMATCH');
    expect(discountRejection({ ...percentOff, startsAt: new Date('2026-12-02T00:00:00Z') }, 'EUR', now)).toBe('NOT_YET_ACTIVE');
    expect(discountRejection({ ...percentOff, endsAt: now }, 'EUR', now)).toBe('EXPIRED');
    expect(discountRejection({ ...percentOff, usageLimit: 3, timesUsed: 3 }, 'EUR', now)).toBe('USAGE_LIMIT_REACHED');
    expect(discountRejection({ ...percentOff, usageLimit: 3, timesUsed: 2 }, 'EUR', now)).toBeNull();
  });

  it('show percentages without trailing zeros', () => {
    expect(['10.00', '12.50', '100.00', '7'].map(displayPercentage)).toEqual(['10', '12.5', '100', '7']);
  });
});

describe('a new discount code', () => {
  it('is a percentage or an amount in a currency, not both and not neither', () => {
    expect(readDiscountCodeInput({ code: 'welcome10', percentage: '10' })).toMatchObject({ ok: true, value: { code: 'WELCOME10', kind: 'percentage', percentage: '10', amountMinor: null } });
    expect(readDiscountCodeInput({ code: 'FIVE', amount: '5.00', currency: 'EUR' })).toMatchObject({ ok: true, value: { kind: 'fixed', amountMinor: 500n, currency: 'EUR', percentage: null } });
    const fields = (input: Parameters<typeof readDiscountCodeInput>[0]) => {
      const result = readDiscountCodeInput(input);
      return result.ok ? [] : result.violations.map(({ field, code }) => `${field}:${code}`);
    };
    expect(fields({ code: 'BOTH', percentage: '10', amount: '5', currency: 'EUR' })).toEqual(['percentage:REQUIRED']);
    expect(fields({ code: 'NONE' })).toEqual(['percentage:REQUIRED']);
    expect(fields({ code: 'AMOUNT', amount: '5' })).toEqual(['currency:REQUIRED']);
  });

  it('refuses percentages outside (0, 100], amounts that are not positive in the currency, bad codes, windows and limits', () => {
    const fields = (input: Parameters<typeof readDiscountCodeInput>[0]) => {
      const result = readDiscountCodeInput(input);
      return result.ok ? [] : result.violations.map(({ field, code }) => `${field}:${code}`);
    };
    for (const percentage of ['0', '100.01', '101', '-5', '10.005', 'ten']) expect(fields({ code: 'PCT', percentage }), percentage).toEqual(['percentage:OUT_OF_RANGE']);
    expect(fields({ code: 'PCT', percentage: '100' })).toEqual([]);
    expect(fields({ code: 'YEN', amount: '5.5', currency: 'JPY' })).toEqual(['amount:INVALID_FORMAT']);
    expect(fields({ code: 'ZERO', amount: '0.00', currency: 'EUR' })).toEqual(['amount:OUT_OF_RANGE']);
    expect(fields({ code: 'x', percentage: '5' })).toEqual(['code:INVALID_FORMAT']);
    expect(fields({ code: 'WINDOW', percentage: '5', startsAt: new Date('2027-01-02'), endsAt: new Date('2027-01-01') })).toEqual(['endsAt:OUT_OF_RANGE']);
    expect(fields({ code: 'LIMIT', percentage: '5', usageLimit: 0 })).toEqual(['usageLimit:OUT_OF_RANGE']);
  });
});
