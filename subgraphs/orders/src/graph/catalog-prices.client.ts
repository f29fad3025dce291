import { dataOf, type GraphAnswer } from '@meridian/platform';
import type { ReadPrices, VariantPriceNow } from '../checkout/checkout.model.js';

type Send = (variables: Record<string, unknown>) => Promise<GraphAnswer>;

interface VariantNode {
  id: string;
  sku: string | null;
  status: string;
  product: { status: string } | null;
  price: { money: { minorUnits: string; currencyCode: string }; isConverted: boolean; rateId: string | null; asOf: string | null } | null;
}

/**
 * The catalog's current prices in a currency (`OrderVariantPrices`: `nodes` under `@inContext`), with the
 * exchange rate of a converted price, as the order's snapshot keeps it. A variant that is archived (or whose
 * product is), or has no price in the currency, is not sold: its price is null. Throws when the catalog
 * cannot be asked.
 */
export function createPriceReader(send: Send): ReadPrices {
  return async (variantIds, currency) => {
    const prices = new Map<string, VariantPriceNow>();
    if (variantIds.length === 0) return prices;
    const data = dataOf('OrderVariantPrices', await send({ ids: [...variantIds], currency }));
    for (const node of (data.nodes ?? []) as (VariantNode | null)[]) {
      if (!node?.id) continue;
      const sold = node.status === 'ACTIVE' && node.product?.status === 'ACTIVE' && node.price?.money.currencyCode === currency;
      prices.set(node.id.toLowerCase(), {
        sku: node.sku,
        priceMinor: sold ? BigInt(node.price!.money.minorUnits) : null,
        exchangeRate: sold && node.price!.isConverted && node.price!.rateId && node.price!.asOf ? { id: node.price!.rateId, asOf: node.price!.asOf } : null,
      });
    }
    return prices;
  };
}
