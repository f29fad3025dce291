import { dataOf, type SendOperation } from '@meridian/platform';
import { money } from '@meridian/money';
import type { VariantOffer } from '../merge/merge.rules.js';

interface VariantNode {
  id: string;
  status: string;
  product: { status: string } | null;
  price: { money: { minorUnits: string; currencyCode: string } } | null;
  availability?: { inStock: boolean } | null;
}

/** The current price in `currency` of each variant and, when asked, whether it is in stock; a variant the catalog does not know is absent. */
export type CatalogOffers = (variantIds: readonly string[], currency: string, options?: { withStock?: boolean }) => Promise<Map<string, VariantOffer>>;

/**
 * Prices from the catalog (`CartVariantPrices`, `CartVariantOffers`): `nodes` in the cart's currency
 * (`@inContext`), so a variant without a price set in it shows the catalog's converted price, as shoppers
 * see it. A variant that is archived (or whose product is), or has no price in that currency (the shop
 * stopped selling in it), is not sold: its price is null. Throws when the catalog cannot be asked.
 */
export function createCatalogOffers(send: { prices: SendOperation; offers: SendOperation }): CatalogOffers {
  return async (variantIds, currency, options = {}) => {
    const offers = new Map<string, VariantOffer>();
    if (variantIds.length === 0) return offers;
    const name = options.withStock ? 'CartVariantOffers' : 'CartVariantPrices';
    const data = dataOf(name, await (options.withStock ? send.offers : send.prices)({ ids: [...variantIds], currency }));
    for (const node of (data.nodes ?? []) as (VariantNode | null)[]) {
      if (!node?.id) continue;
      const sold = node.status === 'ACTIVE' && node.product?.status === 'ACTIVE' && node.price?.money.currencyCode === currency;
      offers.set(node.id.toLowerCase(), {
        price: sold ? money(BigInt(node.price!.money.minorUnits), currency) : null,
        inStock: node.availability?.inStock ?? false,
      });
    }
    return offers;
  };
}
