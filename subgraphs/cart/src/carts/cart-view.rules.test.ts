import { describe, expect, it } from 'vitest';
import { money, toDecimal } from '@meridian/money';
import { cartView } from './cart-view.rules.js';
import type { StoredCart } from './carts.model.js';

const now = new Date('2026-12-01T12:00:00Z');
const address = { fullName: 'Erika Mustermann', company: null, line1: 'Unter den Linden 1', line2: null, city: 'Berlin', region: null, postalCode: '10117', countryCode: 'DE', phone: null, addressId: null };
const cart: StoredCart = {
  id: 'cart',
  userId: null,
  tokenHash: 'hash',
  status: 'open',
  currency: 'EUR',
  shippingAddress: address,
  billingAddress: null,
  createdAt: now,
  updatedAt: now,
  lines: [
    { id: 'line-a', variantId: 'a', quantity: 2, unitPriceMinor: 5950n, currency: 'EUR' },
    { id: 'line-b', variantId: 'b', quantity: 1, unitPriceMinor: 1000n, currency: 'EUR' },
  ],
  pricesIncludeTax: true,
  taxRate: { name: 'VAT', rate: '19.000' },
  shippingMethod: { code: 'standard', names: { en: 'Standard' }, amountMinor: 495n },
  discount: null,
};
const offers = new Map([
  ['a', { price: money(6490n, 'EUR'), inStock: true }],
  ['b', { price: money(1000n, 'EUR'), inStock: true }],
]);

describe("a cart's view", () => {
  it('flags a changed price on its line and keeps counting the price the cart holds', () => {
    const view = cartView(cart, offers, now);
    expect(view.hasPriceChanges).toBe(true);
    expect(view.lines.map((line) => line.priceChange && [toDecimal(line.priceChange.previous), toDecimal(line.priceChange.current)])).toEqual([['59.50', '64.90'], null]);
    expect([view.subtotal, view.total].map(toDecimal)).toEqual(['129.00', '133.95']);
    expect(view).toMatchObject({ taxStatus: 'CALCULATED', pricesChecked: true, itemCount: 3 });
  });

  it('shows its own prices unchecked when the catalog could not be asked, calling no line unavailable on a guess', () => {
    const view = cartView(cart, null, now);
    expect(view).toMatchObject({ pricesChecked: false, hasPriceChanges: false });
    expect(view.lines.map((line) => line.isAvailable)).toEqual([true, true]);
  });

  it('marks lines the catalog no longer sells', () => {
    const view = cartView(cart, new Map([['b', { price: money(1000n, 'EUR'), inStock: true }]]), now);
    expect(view.lines.map((line) => line.isAvailable)).toEqual([false, true]);
  });

  it('asks for an address before taxes, and names a country without a rate', () => {
    expect(cartView({ ...cart, shippingAddress: null, taxRate: null }, offers, now)).toMatchObject({ taxStatus: 'ADDRESS_REQUIRED', taxLines: [] });
    expect(cartView({ ...cart, shippingAddress: { ...address, countryCode: 'JP' }, taxRate: null }, offers, now)).toMatchObject({ taxStatus: 'UNSUPPORTED_COUNTRY', taxLines: [] });
  });

  it('takes nothing off with a discount code that stopped applying, and says why', () => {
    const discount = { code: 'GONE', kind: 'percentage' as const, percentage: '10.00', amountMinor: null, currency: null, startsAt: new Date('2026-01-01'), endsAt: new Date('2026-06-01'), usageLimit: null, timesUsed: 0 };
    const view = cartView({ ...cart, discount }, offers, now);
    expect(view.discount).toEqual({ code: 'GONE', kind: 'PERCENTAGE', percentage: '10', fixedAmount: null, rejection: 'EXPIRED' });
    expect(toDecimal(view.discountTotal)).toBe('0.00');
    const applying = cartView({ ...cart, discount: { ...discount, endsAt: null } }, offers, now);
    expect(toDecimal(applying.discountTotal)).toBe('12.90');
  });
});
