import { money } from '@meridian/money';
import type { OrderLineResolvers } from '../__generated__/resolvers-types.js';

export const OrderLine: OrderLineResolvers = {
  variant: (line) => ({ id: line.variantId }),
  unitPrice: (line) => money(line.unitPriceMinor, line.currency),
  lineTotal: (line) => money(line.lineTotalMinor, line.currency),
  discountAllocation: (line) => money(line.discountMinor, line.currency),
  tax: (line) => money(line.taxMinor, line.currency),
};
