import type { DiscountCodeResolvers } from '../__generated__/resolvers-types.js';
import { displayPercentage, fixedAmountOf } from '../discounts/discount.rules.js';

export const DiscountCode: DiscountCodeResolvers = {
  kind: (code) => (code.kind === 'percentage' ? 'PERCENTAGE' : 'FIXED_AMOUNT'),
  percentage: (code) => (code.percentage === null ? null : displayPercentage(code.percentage)),
  fixedAmount: (code) => fixedAmountOf(code),
};
