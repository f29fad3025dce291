import type { StockLevelResolvers } from '../__generated__/resolvers-types.js';
import { availableOf } from '../stock/stock.rules.js';

export const StockLevel: StockLevelResolvers = {
  variant: ({ variantId }) => ({ id: variantId }),
  location: async ({ locationId }, _args, { loaders }) => (await loaders.locationById.load(locationId))!,
  available: (level) => availableOf(level),
};
