import { money } from '@meridian/money';
import type { PaymentResolvers } from '../__generated__/resolvers-types.js';

// Who may reach a payment is checked where one is returned (the order's owner or an admin); these only read it.
export const Payment: PaymentResolvers = {
  __resolveReference: async (reference, { payments, viewer, loaders }) => payments.find(viewer, await loaders.payment.load(reference.id)),
  order: (payment) => ({ id: payment.orderId }),
  method: (payment) => payment.method as never,
  status: (payment) => payment.status as never,
  amount: (payment) => money(payment.amountMinor, payment.currency),
  capturedAmount: (payment) => money(payment.capturedMinor, payment.currency),
  refundedAmount: (payment) => money(payment.refundedMinor, payment.currency),
  // The client secret only while the browser still has to confirm the card.
  clientSecret: (payment) => (payment.status === 'requires_action' ? payment.clientSecret : null),
  approvalUrl: (payment) => (payment.status === 'requires_action' ? payment.approvalUrl : null),
  bankTransfer: (payment, _args, { payments }) => payments.bankTransfer(payment),
  providerReference: (payment) => payment.providerRef,
  refunds: (payment, _args, { payments, loaders }) => payments.refundsWithCurrency(payment, (id) => loaders.refunds.load(id)),
};
