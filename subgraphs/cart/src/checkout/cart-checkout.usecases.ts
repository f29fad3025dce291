import { isUuid } from '@meridian/platform';
import { cartNotFound } from '../cart.errors.js';
import { canUseCart } from '../carts/cart-access.rules.js';
import type { CartRef, StoredCart } from '../carts/carts.model.js';
import type { CartKey } from '../carts/carts.usecases.js';
import type { CartsRepository } from '../carts/carts.repository.js';
import type { CartDb } from '../db.js';

export type CartCheckoutUseCases = ReturnType<typeof createCartCheckoutUseCases>;

/**
 * The cart's side of the checkout, for the orders service (the `checkout` role, declared in the SDL): the
 * cart it is about to order, decided by the very rules a shopper's own read follows (the token, or the
 * owner the orders service verified), and closing the cart once its order exists.
 */
export function createCartCheckoutUseCases(deps: { db: CartDb; carts: CartsRepository }) {
  const { db, carts } = deps;

  return {
    /** The cart, if this shopper may use it; null exactly as `cart(cartId:, cartToken:)` would answer them. */
    async find(key: CartKey & { userId?: string | null }, load: (id: string) => Promise<StoredCart | null>): Promise<CartRef | null> {
      if (!isUuid(key.cartId) || (key.userId != null && !isUuid(key.userId))) return null;
      const id = key.cartId.toLowerCase();
      return canUseCart(await load(id), key.userId?.toLowerCase() ?? null, key.cartToken) ? { id } : null;
    },

    /** Closes the cart that became `orderId`; the same order again answers the same, any other `NotFound`. */
    async close(cartId: string, orderId: string) {
      if (!isUuid(cartId) || !isUuid(orderId)) return cartNotFound();
      const id = cartId.toLowerCase();
      const order = orderId.toLowerCase();
      return db.transaction(async (tx) => {
        const cart = await carts.lockHeader(tx, id);
        if (cart === null || (cart.status === 'ordered' && cart.orderId !== order) || cart.status === 'merged') return cartNotFound();
        if (cart.status === 'open') await carts.closeOrdered(tx, id, order, cart.discountCodeId);
        return { __typename: 'CartCheckedOut', cartId: id, orderId: order } as const;
      });
    },
  };
}
