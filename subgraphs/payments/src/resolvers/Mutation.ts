import { signedInUser, unauthenticatedError } from '@meridian/platform';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import type { PaymentsContext } from '../context.js';
import type { Payer } from '../payments/payments.usecases.js';

/** Runs a write, then drops what this request had loaded, so the fields the client selects read the new state. */
async function write<T>(context: PaymentsContext, change: Promise<T>): Promise<T> {
  try {
    return await change;
  } finally {
    context.loaders.clearAll();
  }
}

/** A guest proves the order with its cart's token; anyone else must be signed in (a service is nobody's payer). */
function payerOf(context: PaymentsContext, cartToken: string | null | undefined): Payer {
  if (cartToken) return { kind: 'guest', cartToken };
  const user = signedInUser(context.viewer);
  if (!user || !context.accessToken) throw unauthenticatedError('Sign in, or give the token of the cart a guest order was checked out from');
  return { kind: 'user', userId: user.userId, accessToken: context.accessToken };
}

export const Mutation: MutationResolvers = {
  // A signed-in shopper's order is read with their own token: the orders service answers it only to its owner (and admins).
  payOrder: (_parent, { cartToken, ...args }, context) => write(context, context.payments.payOrder(payerOf(context, cartToken), args)),
  capturePayment: (_parent, { paymentId, idempotencyKey }, context) => write(context, context.payments.capture(context.viewer, paymentId, idempotencyKey)),
  cancelPayment: (_parent, { paymentId, idempotencyKey }, context) => write(context, context.payments.cancel(context.viewer, paymentId, idempotencyKey)),
  refundPayment: (_parent, { paymentId, amount, idempotencyKey }, context) => write(context, context.payments.refund(context.viewer, paymentId, amount, idempotencyKey)),
  confirmOfflinePayment: (_parent, { paymentId, idempotencyKey }, context) => write(context, context.payments.confirmOffline(context.viewer, paymentId, idempotencyKey)),
};
