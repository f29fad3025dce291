import type { StockShortageResolvers } from '../__generated__/resolvers-types.js';

export const StockShortage: StockShortageResolvers = {
  variant: (shortage) => ({ id: shortage.variantId }),
};
