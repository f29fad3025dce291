import { dataOf, type SendOperation } from '@meridian/platform';
import type { Logger, ServiceTokenSource } from '@meridian/platform';

/** Exact units available per variant, or null when the cart cannot read them (then only "in stock or not" counts). */
export type StockQuantities = (variantIds: readonly string[]) => Promise<ReadonlyMap<string, number> | null>;

/**
 * The inventory's stock levels (`CartStockLevels`), read with the cart's own service token: exact
 * quantities are for the checkout role, never for shoppers. Without a token source (no client credentials
 * configured) nothing is asked. A failed read is logged and counts as unknown: the cart's cap is a courtesy
 * to the shopper, and the checkout's reservation, which never oversells, has the last word.
 */
export function createStockQuantities(options: { send: SendOperation; token: ServiceTokenSource | undefined; log: Logger }): StockQuantities {
  const { token } = options;
  if (token === undefined) return async () => null;
  return async (variantIds) => {
    if (variantIds.length === 0) return new Map();
    let bearer: string | undefined;
    try {
      bearer = await token();
      const answer = await options.send({ variantIds: [...variantIds] }, bearer);
      if (answer.status === 401) token.forget(bearer);
      const levels = (dataOf('CartStockLevels', answer).stockLevels ?? []) as { variant: { id: string }; available: number }[];
      const available = new Map(variantIds.map((id) => [id.toLowerCase(), 0]));
      for (const level of levels) available.set(level.variant.id.toLowerCase(), (available.get(level.variant.id.toLowerCase()) ?? 0) + level.available);
      return available;
    } catch (error) {
      options.log.warn({ err: error }, 'the stock levels could not be read; quantities are checked against "in stock" only');
      return null;
    }
  };
}
