import type { Variant } from '../products/products.model.js';
import type { ExchangeRateLookup } from './exchange-rates.client.js';
import { convertedPrice, priceSource, storedMoney, type Price } from './prices.rules.js';

export type PriceReader = ReturnType<typeof createPriceReader>;

/** Prices in the request's currency: as set, or converted at the localization service's rate. */
export function createPriceReader(deps: { currency: string; exchangeRates: ExchangeRateLookup }) {
  const { currency } = deps;

  async function priceOf(variant: Variant): Promise<Price | null> {
    const source = priceSource(variant.prices, currency);
    if (!source) return null;
    if (source.exact) return { money: storedMoney(source.stored), isConverted: false, rateId: null, asOf: null };
    const rate = await deps.exchangeRates(source.stored.currency, currency);
    return rate ? convertedPrice(source.stored, currency, rate) : null;
  }

  return {
    priceOf,

    /** A price stored in the request's currency, in its minor units. */
    exact: (minorUnits: bigint): Price => ({ money: storedMoney({ currency, amountMinor: minorUnits.toString() }), isConverted: false, rateId: null, asOf: null }),

    /** The lowest price among the active variants (converted ones compared after conversion). */
    async lowest(variants: readonly Variant[]): Promise<Price | null> {
      const prices = (await Promise.all(variants.filter((variant) => variant.status === 'active').map(priceOf))).filter((price): price is Price => price !== null);
      return prices.reduce<Price | null>((lowest, price) => (lowest === null || price.money.minorUnits < lowest.money.minorUnits ? price : lowest), null);
    },
  };
}
