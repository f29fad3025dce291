import { describe, expect, it } from 'vitest';
import { convertedPrice, priceSource } from './prices.rules.js';

const prices = [
  { currency: 'GBP', amountMinor: '1699' },
  { currency: 'EUR', amountMinor: '1999' },
];

describe('prices', () => {
  it('uses the price set in the requested currency', () => {
    expect(priceSource(prices, 'GBP')).toEqual({ stored: prices[0], exact: true });
  });

  it('converts from the euro price when the currency has none', () => {
    expect(priceSource(prices, 'USD')).toEqual({ stored: prices[1], exact: false });
    expect(priceSource([{ currency: 'GBP', amountMinor: '1' }, { currency: 'CHF', amountMinor: '2' }], 'USD')?.stored.currency).toBe('CHF');
    expect(priceSource([], 'USD')).toBeNull();
  });

  it('rounds a conversion half-even to the minor unit and names the rate', () => {
    const price = convertedPrice(prices[1]!, 'USD', { id: 'rate-1', rate: '1.0825', asOf: '2026-11-27' });
    expect(price).toMatchObject({ isConverted: true, rateId: 'rate-1', asOf: '2026-11-27' });
    // 19.99 × 1.0825 = 21.639175 → 21.64
    expect(price.money).toEqual({ minorUnits: 2164n, currency: 'USD' });
  });
});
