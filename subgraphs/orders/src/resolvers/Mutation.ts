import { requireViewer, signedInUser } from '@meridian/platform';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import type { OrdersContext } from '../context.js';

/** Runs a write, then drops what this request had loaded, so the fields the client selects read the new state. */
async function write<T>(context: OrdersContext, change: Promise<T>): Promise<T> {
  try {
    return await change;
  } finally {
    context.loaders.clearAll();
  }
}

export const Mutation: MutationResolvers = {
  // A service is nobody's account: it checks out like a guest (with the cart's token), never as a user.
  checkout: (_parent, args, context) => write(context, context.checkout.checkout({ ...args, locale: context.localization.locale }, signedInUser(context.viewer))),
  markOrderPaid: (_parent, { id, reference }, context) => write(context, context.orders.markPaid(context.viewer, id, reference)),
  fulfilOrder: (_parent, { id, reason }, context) => write(context, context.orders.fulfil(context.viewer, id, reason ?? null)),
  markOrderDelivered: (_parent, { id }, context) => write(context, context.orders.markDelivered(context.viewer, id)),
  cancelOrder: (_parent, { id, reason }, context) => write(context, context.orders.cancel(context.viewer, id, reason ?? null)),
  eraseOrdersAccountData: (_parent, _args, context) => write(context, context.orders.eraseAccount(requireViewer(context))),
  refundOrderLines: (_parent, { id, lines, reason }, context) => write(context, context.orders.refundLines(context.viewer, id, lines, reason ?? null)),
  recordOrderRefund: (_parent, { id, amountMinorUnits, reference }, context) => write(context, context.orders.recordRefund(context.viewer, id, amountMinorUnits, reference)),
};
