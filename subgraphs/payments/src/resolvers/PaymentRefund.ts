import { money } from '@meridian/money';
import type { PaymentRefundResolvers } from '../__generated__/resolvers-types.js';

export const PaymentRefund: PaymentRefundResolvers = {
  amount: (refund) => money(refund.amountMinor, refund.currency),
  status: (refund) => refund.status as never,
  reason: (refund) => refund.reason as never,
};
