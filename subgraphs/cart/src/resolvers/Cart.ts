import type { CartResolvers, CurrencyCode } from '../__generated__/resolvers-types.js';
import type { CartContext } from '../context.js';
import type { CartView } from '../carts/carts.model.js';
import { availableMethods } from '../shipping/shipping.rules.js';

/** The cart's view, computed once per request whichever field asks first. */
async function view({ id }: { id: string }, { loaders }: CartContext): Promise<CartView> {
  const found = await loaders.cartView.load(id);
  if (!found) throw new Error('a cart that was found could not be read back');
  return found;
}

// Who may reach a cart is checked where one is returned (the token or the owner); these only read it.
export const Cart: CartResolvers = {
  __resolveReference: (reference, context) => context.carts.reference(context.shopper, reference.id, (id) => context.loaders.storedCart.load(id)),
  isGuest: async (cart, _args, context) => (await view(cart, context)).isGuest,
  currency: async (cart, _args, context) => (await view(cart, context)).currency as CurrencyCode,
  lines: async (cart, _args, context) => (await view(cart, context)).lines,
  itemCount: async (cart, _args, context) => (await view(cart, context)).itemCount,
  subtotal: async (cart, _args, context) => (await view(cart, context)).subtotal,
  discount: async (cart, _args, context) => (await view(cart, context)).discount,
  discountTotal: async (cart, _args, context) => (await view(cart, context)).discountTotal,
  shippingAddress: async (cart, _args, context) => (await view(cart, context)).shippingAddress,
  billingAddress: async (cart, _args, context) => (await view(cart, context)).billingAddress,
  shippingMethod: async (cart, _args, context) => (await view(cart, context)).shippingMethod,
  availableShippingMethods: async (cart, _args, context) => {
    const { currency, shippingAddress } = await view(cart, context);
    return availableMethods(await context.loaders.shippingMethods(), currency, shippingAddress?.countryCode ?? null);
  },
  shippingTotal: async (cart, _args, context) => (await view(cart, context)).shippingTotal,
  pricesIncludeTax: async (cart, _args, context) => (await view(cart, context)).pricesIncludeTax,
  taxStatus: async (cart, _args, context) => (await view(cart, context)).taxStatus,
  taxLines: async (cart, _args, context) => (await view(cart, context)).taxLines,
  taxTotal: async (cart, _args, context) => (await view(cart, context)).taxTotal,
  total: async (cart, _args, context) => (await view(cart, context)).total,
  hasPriceChanges: async (cart, _args, context) => (await view(cart, context)).hasPriceChanges,
  pricesChecked: async (cart, _args, context) => (await view(cart, context)).pricesChecked,
  createdAt: async (cart, _args, context) => (await view(cart, context)).createdAt,
  updatedAt: async (cart, _args, context) => (await view(cart, context)).updatedAt,
};
