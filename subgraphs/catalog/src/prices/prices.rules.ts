import { convert, money, type Money } from '@meridian/money';
import type { StoredPrice } from '../products/products.model.js';
import type { ExchangeRate } from './exchange-rates.client.js';

/** A price as a shopper sees it. */
export interface Price {
  money: Money;
  isConverted: boolean;
  rateId: string | null;
  asOf: string | null;
}

/**
 * Converted prices start from the euro price where there is one: the ECB publishes every rate against
 * the euro, so that conversion uses a published rate rather than a cross rate. Otherwise from the
 * first currency by code, so the same variant always converts from the same price.
 */
export const CONVERSION_SOURCE = 'EUR';

/** The stored price in `currency`, or the price a conversion to it starts from; null when there is no price at all. */
export function priceSource(prices: readonly StoredPrice[], currency: string): { stored: StoredPrice; exact: boolean } | null {
  const exact = prices.find((price) => price.currency === currency);
  if (exact) return { stored: exact, exact: true };
  const source = prices.find((price) => price.currency === CONVERSION_SOURCE) ?? [...prices].sort((a, b) => (a.currency < b.currency ? -1 : 1))[0];
  return source ? { stored: source, exact: false } : null;
}

export function storedMoney(price: StoredPrice): Money {
  return money(BigInt(price.amountMinor), price.currency);
}

/** A stored price converted at `rate`, rounded half-even to the target's minor units. */
export function convertedPrice(source: StoredPrice, currency: string, rate: ExchangeRate): Price {
  return { money: convert(storedMoney(source), rate.rate, currency), isConverted: true, rateId: rate.id, asOf: rate.asOf };
}
