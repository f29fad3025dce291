import { requireViewer } from '@meridian/platform';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import type { CartContext } from '../context.js';

/** Runs a write, then drops what this request had loaded, so the fields the client selects read the new state. */
async function write<T>(context: CartContext, change: Promise<T>): Promise<T> {
  try {
    return await change;
  } finally {
    context.loaders.clearAll();
  }
}

export const Mutation: MutationResolvers = {
  createCart: (_parent, _args, context) => write(context, context.carts.create(context.shopper)),
  addToCart: (_parent, args, context) => write(context, context.carts.add(context.shopper, args)),
  updateCartLine: (_parent, args, context) => write(context, context.carts.updateLine(context.shopper, args)),
  removeCartLine: (_parent, args, context) => write(context, context.carts.removeLine(context.shopper, args)),
  setCartAddresses: (_parent, { shipping, billing, ...key }, context) => write(context, context.addresses.set(context.shopper, key, shipping, billing)),
  setShippingMethod: (_parent, { code, ...key }, context) => write(context, context.shipping.choose(context.shopper, key, code)),
  applyDiscountCode: (_parent, { code, ...key }, context) => write(context, context.discounts.apply(context.shopper, key, code)),
  applyCartPriceChanges: (_parent, key, context) => write(context, context.carts.applyPriceChanges(context.shopper, key)),
  mergeGuestCart: (_parent, { cartId, cartToken }, context) => write(context, context.merge.merge({ ...context.shopper, userId: requireViewer(context).userId }, cartId, cartToken)),
  createDiscountCode: (_parent, { input }, context) => write(context, context.discounts.create(input)),
  closeCheckedOutCart: (_parent, { cartId, orderId }, context) => write(context, context.checkout.close(cartId, orderId)),
  eraseCartAccountData: (_parent, _args, context) => write(context, context.erasure.erase(requireViewer(context))),
};
