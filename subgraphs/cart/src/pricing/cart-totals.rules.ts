import { add, allocate, fraction, multiply, parseDecimal, percentage, subtract, sum, zero, compare, type Money } from '@meridian/money';

/**
 * A cart's totals, computed the same way on every read (README "Cart"):
 * 1. each line's total is its unit price times its quantity; the subtotal is their sum;
 * 2. a discount takes a percentage of the subtotal (rounded half-even) or a fixed amount (at most the
 *    subtotal), spread over the lines in proportion to their totals without losing a minor unit;
 * 3. each line's tax, and the shipping's, is computed on its own amount after its discount share and
 *    rounded half-even (@meridian/money's default): `amount × rate / 100` on top of a tax-exclusive price,
 *    `amount × rate / (100 + rate)` inside a tax-inclusive one; the tax line is the sum of those taxes;
 * 4. total = subtotal − discount + shipping, plus the tax where prices exclude it.
 * Every amount is an exact sum of the amounts it is made of: no rounding happens after step 3.
 */

export interface TotalsLine {
  id: string;
  unitPrice: Money;
  quantity: number;
}

/** The tax of the country a cart ships to: a name and a rate in per cent as a decimal string (`19`, `25.5`). */
export interface TaxRate {
  name: string;
  rate: string;
}

export type DiscountTerms = { kind: 'percentage'; percentage: string } | { kind: 'fixed'; amount: Money };

export interface TotalsInput {
  currency: string;
  lines: readonly TotalsLine[];
  pricesIncludeTax: boolean;
  /** Null when no rate applies (no shipping address yet, or none for its country): no tax is computed. */
  tax: TaxRate | null;
  /** The chosen shipping method's price; null when none is chosen. */
  shipping: Money | null;
  /** A discount that applies; null for none. */
  discount: DiscountTerms | null;
}

export interface LineTotal {
  id: string;
  lineTotal: Money;
  discountAllocation: Money;
  /** Null when no tax is computed. */
  tax: Money | null;
}

export interface TaxLineTotal {
  name: string;
  rate: string;
  amount: Money;
}

export interface CartTotals {
  lines: LineTotal[];
  subtotal: Money;
  discountTotal: Money;
  shippingTotal: Money;
  /** The shipping's tax; null when no tax is computed. */
  shippingTax: Money | null;
  taxLines: TaxLineTotal[];
  taxTotal: Money;
  total: Money;
}

/** A rate as it reads best: `19.000` → `19`, `25.500` → `25.5`. */
export function displayRate(rate: string): string {
  return rate.includes('.') ? rate.replace(/0+$/, '').replace(/\.$/, '') : rate;
}

/** The tax of `amount` at `rate` per cent: added on top (exclusive) or contained in it (inclusive). */
export function taxOf(amount: Money, rate: string, included: boolean): Money {
  if (!included) return percentage(amount, rate);
  // rate = units / 10^scale per cent, so the included share rate / (100 + rate) is units / (100·10^scale + units).
  const { amount: units, scale } = parseDecimal(rate, 'rate');
  return fraction(amount, units, 100n * 10n ** scale + units);
}

function discountOf(subtotal: Money, discount: DiscountTerms | null): Money {
  if (discount === null) return zero(subtotal.currency);
  if (discount.kind === 'percentage') return percentage(subtotal, discount.percentage);
  if (discount.amount.currency !== subtotal.currency) return zero(subtotal.currency);
  return compare(discount.amount, subtotal) > 0 ? subtotal : discount.amount;
}

export function cartTotals(input: TotalsInput): CartTotals {
  const { currency } = input;
  const lineTotals = input.lines.map((line) => multiply(line.unitPrice, line.quantity));
  const subtotal = sum(lineTotals, currency);
  const discountTotal = discountOf(subtotal, input.discount);
  const shares =
    discountTotal.minorUnits > 0n && subtotal.minorUnits > 0n
      ? allocate(
          discountTotal,
          lineTotals.map((total) => total.minorUnits),
        )
      : lineTotals.map(() => zero(currency));
  const taxed = (amount: Money) => (input.tax === null ? null : taxOf(amount, input.tax.rate, input.pricesIncludeTax));
  const lines = input.lines.map((line, index) => {
    const lineTotal = lineTotals[index]!;
    const discountAllocation = shares[index]!;
    return { id: line.id, lineTotal, discountAllocation, tax: taxed(subtract(lineTotal, discountAllocation)) };
  });
  const shippingTotal = input.shipping ?? zero(currency);
  const shippingTax = taxed(shippingTotal);
  const taxTotal = sum([...lines.map((line) => line.tax ?? zero(currency)), shippingTax ?? zero(currency)], currency);
  const taxLines = input.tax === null ? [] : [{ name: input.tax.name, rate: displayRate(input.tax.rate), amount: taxTotal }];
  const beforeTax = add(subtract(subtotal, discountTotal), shippingTotal);
  return {
    lines,
    subtotal,
    discountTotal,
    shippingTotal,
    shippingTax,
    taxLines,
    taxTotal,
    total: input.pricesIncludeTax ? beforeTax : add(beforeTax, taxTotal),
  };
}
