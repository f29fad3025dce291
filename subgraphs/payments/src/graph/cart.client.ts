import { dataOf, type GraphAnswer } from '@meridian/platform';
import type { CartView } from '../payments/payments.usecases.js';

type Send = (variables: Record<string, unknown>) => Promise<GraphAnswer>;

/** The cart service's `checkoutCart` (`PaymentCart`), with the service's token: null unless the shopper may use the cart. */
export function createCartReader(send: Send): (cartId: string, caller: { cartToken: string | null; userId: string | null }) => Promise<CartView | null> {
  return async (cartId, caller) => {
    const cart = dataOf('PaymentCart', await send({ cartId, cartToken: caller.cartToken, userId: caller.userId })).checkoutCart as { currency: string; shippingAddress: { countryCode: string } | null } | null;
    return cart ? { currency: cart.currency, country: cart.shippingAddress?.countryCode ?? null } : null;
  };
}
