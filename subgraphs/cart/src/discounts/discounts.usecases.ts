import { validationFailed } from '@meridian/platform';
import { cartNotFound, discountCodeNotFound, discountNotApplicable } from '../cart.errors.js';
import type { CartsRepository } from '../carts/carts.repository.js';
import { lockUsableCart, type CartKey, type Shopper } from '../carts/carts.usecases.js';
import type { CartDb } from '../db.js';
import { discountRejection, normalizeDiscountCode, readDiscountCodeInput } from './discount.rules.js';
import type { DiscountsRepository } from './discounts.repository.js';

export type DiscountUseCases = ReturnType<typeof createDiscountUseCases>;

/**
 * Discount codes: shoppers apply one to a cart (it is checked again on every read, so one that expires
 * stops taking anything off and says why); admins create them.
 */
export function createDiscountUseCases(deps: { db: CartDb; carts: CartsRepository; discounts: DiscountsRepository }) {
  const { db, carts } = deps;
  return {
    async apply(shopper: Shopper, key: CartKey, typed: string) {
      return db.transaction(async (tx) => {
        const cart = await lockUsableCart(carts, tx, shopper, key);
        if (!cart) return cartNotFound();
        const code = normalizeDiscountCode(typed);
        const discount = code === null ? null : await deps.discounts.findByCode(tx, code);
        if (!discount) return discountCodeNotFound();
        const rejection = discountRejection(discount, cart.currency, new Date());
        if (rejection) return discountNotApplicable(rejection);
        await carts.update(tx, cart.id, { discountCodeId: discount.id });
        return { __typename: 'CartUpdated', cart: { id: cart.id } } as const;
      });
    },

    async create(input: Parameters<typeof readDiscountCodeInput>[0]) {
      const checked = readDiscountCodeInput(input);
      if (!checked.ok) return validationFailed(checked.violations);
      const created = await deps.discounts.insert(checked.value);
      if (!created) return validationFailed([{ field: 'code', code: 'ALREADY_TAKEN', message: `The discount code ${checked.value.code} exists already.` }]);
      return { __typename: 'DiscountCodeCreated', discountCode: created } as const;
    },
  };
}
