import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, money, parseMoney, subtract, sum, toDecimal, zero, type Money } from '@meridian/money';
import { cartTotals, displayRate, taxOf, type DiscountTerms, type TotalsInput } from './cart-totals.rules.js';

const eur = (text: string) => parseMoney(text, 'EUR');
const decimals = (values: readonly (Money | null)[]) => values.map((value) => (value === null ? null : toDecimal(value)));

describe('taxes', () => {
  it('adds the rate on top of a tax-exclusive amount and finds it inside a tax-inclusive one, half-even', () => {
    expect(toDecimal(taxOf(eur('100.00'), '19', false))).toBe('19.00');
    expect(toDecimal(taxOf(eur('119.00'), '19', true))).toBe('19.00');
    expect(toDecimal(taxOf(eur('4.95'), '19', true))).toBe('0.79'); // 0.7903…
    expect(toDecimal(taxOf(eur('10.00'), '25.5', true))).toBe('2.03'); // 10 × 25.5 / 125.5 = 2.0318…
    expect(toDecimal(taxOf(eur('0.25'), '10', false))).toBe('0.02'); // 0.025 → to even
    expect(toDecimal(taxOf(parseMoney('1000', 'JPY'), '10', true))).toBe('91');
    expect(toDecimal(taxOf(eur('99.99'), '0', false))).toBe('0.00');
  });

  it('shows rates without trailing zeros', () => {
    expect(['19.000', '25.500', '8.100', '0.000', '7'].map(displayRate)).toEqual(['19', '25.5', '8.1', '0', '7']);
  });
});

describe('a cart in euros shipping to Germany (prices include 19 % VAT)', () => {
  const input: TotalsInput = {
    currency: 'EUR',
    lines: [
      { id: 'a', unitPrice: eur('59.50'), quantity: 2 },
      { id: 'b', unitPrice: eur('10.00'), quantity: 1 },
    ],
    pricesIncludeTax: true,
    tax: { name: 'VAT', rate: '19.000' },
    shipping: eur('4.95'),
    discount: null,
  };

  it('keeps the total at what the shopper sees and shows the VAT inside it, line by line', () => {
    const totals = cartTotals(input);
    expect(decimals(totals.lines.map((line) => line.lineTotal))).toEqual(['119.00', '10.00']);
    expect(decimals(totals.lines.map((line) => line.tax))).toEqual(['19.00', '1.60']);
    expect(toDecimal(totals.shippingTax!)).toBe('0.79');
    expect(totals.taxLines.map((line) => ({ ...line, amount: toDecimal(line.amount) }))).toEqual([{ name: 'VAT', rate: '19', amount: '21.39' }]);
    expect(decimals([totals.subtotal, totals.discountTotal, totals.shippingTotal, totals.taxTotal, totals.total])).toEqual(['129.00', '0.00', '4.95', '21.39', '133.95']);
  });

  it('spreads a fixed discount over the lines by their totals and taxes what is left of each', () => {
    const totals = cartTotals({ ...input, discount: { kind: 'fixed', amount: eur('12.90') } });
    // 12.90 in the proportion 119 : 10.
    expect(decimals(totals.lines.map((line) => line.discountAllocation))).toEqual(['11.90', '1.00']);
    expect(decimals(totals.lines.map((line) => line.tax))).toEqual(['17.10', '1.44']);
    expect(decimals([totals.discountTotal, totals.taxTotal, totals.total])).toEqual(['12.90', '19.33', '121.05']);
  });

  it('takes a percentage of the subtotal, half-even, and never more than the subtotal', () => {
    expect(toDecimal(cartTotals({ ...input, discount: { kind: 'percentage', percentage: '10' } }).discountTotal)).toBe('12.90');
    expect(toDecimal(cartTotals({ ...input, lines: [{ id: 'a', unitPrice: eur('10.05'), quantity: 1 }], discount: { kind: 'percentage', percentage: '10' } }).discountTotal)).toBe('1.00');
    expect(toDecimal(cartTotals({ ...input, discount: { kind: 'fixed', amount: eur('500.00') } }).discountTotal)).toBe('129.00');
    expect(toDecimal(cartTotals({ ...input, discount: { kind: 'fixed', amount: parseMoney('5.00', 'GBP') } }).discountTotal)).toBe('0.00');
  });

  it('computes no tax without a rate, and leaves the total as it is where prices include tax', () => {
    const totals = cartTotals({ ...input, tax: null });
    expect(totals.taxLines).toEqual([]);
    expect(totals.lines.map((line) => line.tax)).toEqual([null, null]);
    expect(totals.shippingTax).toBeNull();
    expect(toDecimal(totals.total)).toBe('133.95');
  });
});

describe('a cart in dollars (prices exclude tax)', () => {
  it('adds the tax to the total', () => {
    const totals = cartTotals({
      currency: 'USD',
      lines: [{ id: 'a', unitPrice: parseMoney('19.99', 'USD'), quantity: 3 }],
      pricesIncludeTax: false,
      tax: { name: 'VAT', rate: '25.500' },
      shipping: parseMoney('5.99', 'USD'),
      discount: { kind: 'percentage', percentage: '10' },
    });
    // 59.97 − 6.00 (5.997 → 6.00) = 53.97, tax 13.76 (13.762…); shipping tax 1.53 (1.527…).
    expect(decimals([totals.subtotal, totals.discountTotal, totals.lines[0]!.tax, totals.shippingTax, totals.taxTotal, totals.total])).toEqual([
      '59.97',
      '6.00',
      '13.76',
      '1.53',
      '15.29',
      '75.25',
    ]);
  });

  it('adds nothing at 0 % (United States: sales taxes are not modelled) but still shows the tax line', () => {
    const totals = cartTotals({ currency: 'USD', lines: [{ id: 'a', unitPrice: parseMoney('10.00', 'USD'), quantity: 1 }], pricesIncludeTax: false, tax: { name: 'Sales tax', rate: '0.000' }, shipping: null, discount: null });
    expect(totals.taxLines.map((line) => [line.name, line.rate, toDecimal(line.amount)])).toEqual([['Sales tax', '0', '0.00']]);
    expect(toDecimal(totals.total)).toBe('10.00');
  });
});

describe('properties', () => {
  const currency = fc.constantFrom('EUR', 'USD', 'GBP', 'JPY', 'KWD');
  const rate = fc.constantFrom('0.000', '5.000', '7.700', '8.100', '19.000', '20.000', '21.000', '25.500', '33.333');
  const scenario = currency.chain((code) =>
    fc.record({
      currency: fc.constant(code),
      lines: fc.array(
        fc.record({ id: fc.uuid(), unitPrice: fc.bigInt({ min: 0n, max: 10n ** 9n }).map((units) => money(units, code)), quantity: fc.integer({ min: 1, max: 99 }) }),
        { maxLength: 30 },
      ),
      pricesIncludeTax: fc.boolean(),
      tax: fc.option(fc.record({ name: fc.constant('VAT'), rate })),
      shipping: fc.option(fc.bigInt({ min: 0n, max: 10n ** 6n }).map((units) => money(units, code))),
      discount: fc.option(
        fc.oneof(
          fc.integer({ min: 1, max: 10_000 }).map((hundredths): DiscountTerms => ({ kind: 'percentage', percentage: (hundredths / 100).toFixed(2) })),
          fc.bigInt({ min: 1n, max: 10n ** 10n }).map((units): DiscountTerms => ({ kind: 'fixed', amount: money(units, code) })),
        ),
      ),
    }),
  );

  it('adds up exactly: lines to the subtotal, shares to the discount, line and shipping taxes to the tax lines, all to the total', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const totals = cartTotals(input);
        const { currency: code } = input;
        expect(totals.subtotal).toEqual(sum(totals.lines.map((line) => line.lineTotal), code));
        expect(totals.discountTotal).toEqual(sum(totals.lines.map((line) => line.discountAllocation), code));
        expect(totals.discountTotal.minorUnits >= 0n && totals.discountTotal.minorUnits <= totals.subtotal.minorUnits).toBe(true);
        const taxes = [...totals.lines.map((line) => line.tax), totals.shippingTax];
        expect(taxes.every((tax) => (tax === null) === (input.tax === null))).toBe(true);
        expect(totals.taxTotal).toEqual(sum(taxes.map((tax) => tax ?? zero(code)), code));
        expect(sum(totals.taxLines.map((line) => line.amount), code)).toEqual(totals.taxTotal);
        const beforeTax = add(subtract(totals.subtotal, totals.discountTotal), totals.shippingTotal);
        expect(totals.total).toEqual(input.pricesIncludeTax ? beforeTax : add(beforeTax, totals.taxTotal));
      }),
    );
  });

  it('rounds each line tax to the nearest minor unit of its exact value', () => {
    fc.assert(
      fc.property(scenario.filter((input) => input.tax !== null), (input) => {
        const totals = cartTotals(input);
        const [units, scale] = ((text) => {
          const [whole, part = ''] = text.split('.');
          return [BigInt(`${whole}${part}`), BigInt(part.length)];
        })(input.tax!.rate);
        for (const line of totals.lines) {
          const base = subtract(line.lineTotal, line.discountAllocation).minorUnits;
          // Exact tax = base × units / denominator; the rounded one is within half a unit of it.
          const denominator = input.pricesIncludeTax ? 100n * 10n ** scale + units : 100n * 10n ** scale;
          const distance = 2n * (line.tax!.minorUnits * denominator - base * units);
          expect((distance < 0n ? -distance : distance) <= denominator).toBe(true);
        }
      }),
    );
  });
});
