import type { CartMergeAdjustmentResolvers } from '../__generated__/resolvers-types.js';

export const CartMergeAdjustment: CartMergeAdjustmentResolvers = {
  variant: ({ variantId }) => ({ id: variantId }),
};
