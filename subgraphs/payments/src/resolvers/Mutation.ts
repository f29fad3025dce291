import { requireViewer } from '@meridian/platform';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import type { PaymentsContext } from '../context.js';

/** Runs a write, then drops what this request had loaded, so the fields the client selects read the new state. */
async function write<T>(context: PaymentsContext, change: Promise<T>): Promise<T> {
  try {
    return await change;
  } finally {
    context.loaders.clearAll();
  }
}

export const Mutation: MutationResolvers = {
  // The order is read with the shopper's own token: the orders service answers it only to its owner (and admins).
  payOrder: (_parent, args, context) => write(context, context.payments.payOrder(requireViewer(context), context.accessToken ?? '', args)),
  capturePayment: (_parent, { paymentId, idempotencyKey }, context) => write(context, context.payments.capture(context.viewer, paymentId, idempotencyKey)),
  cancelPayment: (_parent, { paymentId, idempotencyKey }, context) => write(context, context.payments.cancel(context.viewer, paymentId, idempotencyKey)),
  refundPayment: (_parent, { paymentId, amount, idempotencyKey }, context) => write(context, context.payments.refund(context.viewer, paymentId, amount, idempotencyKey)),
  confirmOfflinePayment: (_parent, { paymentId, idempotencyKey }, context) => write(context, context.payments.confirmOffline(context.viewer, paymentId, idempotencyKey)),
};
