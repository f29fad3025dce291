import { validationFailed } from '@meridian/platform';
import { cartNotFound, shippingMethodNotFound } from '../cart.errors.js';
import type { CartsRepository } from '../carts/carts.repository.js';
import { lockUsableCart, type CartKey, type Shopper } from '../carts/carts.usecases.js';
import type { CartDb } from '../db.js';
import type { ShippingRepository } from './shipping.repository.js';
import { shippingRefusal } from './shipping.rules.js';

export type ShippingUseCases = ReturnType<typeof createShippingUseCases>;

export function createShippingUseCases(deps: { db: CartDb; carts: CartsRepository; shipping: ShippingRepository }) {
  const { db, carts } = deps;
  return {
    /** Every active method with its prices, for `Cart.availableShippingMethods` (read once per request). */
    all: () => deps.shipping.all(),

    /** Chooses a method that delivers to the cart's shipping country and has a price in its currency. */
    async choose(shopper: Shopper, key: CartKey, code: string) {
      return db.transaction(async (tx) => {
        const cart = await lockUsableCart(carts, tx, shopper, key);
        if (!cart) return cartNotFound();
        const method = await deps.shipping.find(tx, code.trim().toLowerCase());
        if (!method) return shippingMethodNotFound();
        const refusal = shippingRefusal(method, cart.currency, cart.shippingAddress?.countryCode ?? null);
        if (refusal) return validationFailed([{ field: 'code', code: 'UNAVAILABLE', message: refusal }]);
        await carts.update(tx, cart.id, { shippingMethodCode: method.code });
        return { __typename: 'CartUpdated', cart: { id: cart.id } } as const;
      });
    },
  };
}
