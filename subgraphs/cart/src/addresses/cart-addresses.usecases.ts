import { validateAddress, type AddressInput } from '@meridian/addresses';
import type { CartAddressSnapshot } from '@meridian/db/cart';
import { isUuid, serviceUnavailableError, validationFailed, type FieldViolation, type Logger } from '@meridian/platform';
import { addressNotFound, cartNotFound } from '../cart.errors.js';
import { canUseCart } from '../carts/cart-access.rules.js';
import type { CartsRepository } from '../carts/carts.repository.js';
import { lockUsableCart, type CartKey, type Shopper } from '../carts/carts.usecases.js';
import type { CartDb } from '../db.js';
import type { AddressBookEntry } from '../graph/address-book.client.js';
import type { ShippingRepository } from '../shipping/shipping.repository.js';

export type CartAddressUseCases = ReturnType<typeof createCartAddressUseCases>;

/** An address given to a cart: one of the shopper's address-book entries, or one typed in. */
export interface CartAddressChoice {
  addressId?: string | null;
  address?: AddressInput | null;
}

type Resolved = { ok: true; value: CartAddressSnapshot } | { ok: false; violations: FieldViolation[] } | { ok: false; notFound: true };

/**
 * A cart's shipping and billing addresses. Typed-in addresses are validated and normalized by the same
 * rules as the users service's address book (@meridian/addresses); an address-book entry is read through the
 * graph with the shopper's own access token (the users service answers only its owner) and copied, then
 * checked by those rules again. Either way the cart keeps a copy, never a reference.
 */
export function createCartAddressUseCases(deps: { db: CartDb; carts: CartsRepository; shipping: ShippingRepository; addressBook: AddressBookEntry; log: Logger }) {
  const { db, carts } = deps;

  async function resolve(shopper: Shopper, choice: CartAddressChoice, prefix: 'shipping' | 'billing'): Promise<Resolved> {
    const given = (choice.addressId != null ? 1 : 0) + (choice.address != null ? 1 : 0);
    if (given !== 1) {
      const message = given === 0 ? `${prefix} needs addressId or address.` : `${prefix} takes addressId or address, not both.`;
      return { ok: false, violations: [{ field: prefix, code: given === 0 ? 'REQUIRED' : 'INVALID_FORMAT', message }] };
    }
    let input: AddressInput;
    let addressId: string | null = null;
    if (choice.addressId != null) {
      if (shopper.userId === null || shopper.accessToken === null || !isUuid(choice.addressId)) return { ok: false, notFound: true };
      let entry: Awaited<ReturnType<AddressBookEntry>>;
      try {
        entry = await deps.addressBook(choice.addressId, shopper.accessToken);
      } catch (error) {
        deps.log.warn({ err: error }, 'the address book could not be read; the cart was not changed');
        throw serviceUnavailableError();
      }
      if (entry === null) return { ok: false, notFound: true };
      const { id, ...fields } = entry;
      [input, addressId] = [fields, id];
    } else {
      input = choice.address!;
    }
    const checked = validateAddress(input);
    if (!checked.ok) return { ok: false, violations: checked.violations.map((violation) => ({ ...violation, field: `${prefix}.${violation.field}` })) };
    return { ok: true, value: { ...checked.value, addressId } };
  }

  return {
    /** Sets the addresses; a chosen shipping method that does not deliver to the new country is cleared. */
    async set(shopper: Shopper, key: CartKey, shipping: CartAddressChoice, billing: CartAddressChoice | null | undefined) {
      // The cart first: a shopper who may not use it learns nothing about their input or address book.
      const header = isUuid(key.cartId) ? await carts.header(db, key.cartId.toLowerCase()) : null;
      if (!canUseCart(header, shopper.userId, key.cartToken)) return cartNotFound();
      const resolved = [await resolve(shopper, shipping, 'shipping'), billing == null ? null : await resolve(shopper, billing, 'billing')];
      if (resolved.some((result) => result !== null && !result.ok && 'notFound' in result)) return addressNotFound();
      const violations = resolved.flatMap((result) => (result !== null && !result.ok && 'violations' in result ? result.violations : []));
      if (violations.length > 0) return validationFailed(violations);
      const [shippingAddress, billingAddress] = resolved.map((result) => (result?.ok ? result.value : null));

      return db.transaction(async (tx) => {
        const cart = await lockUsableCart(carts, tx, shopper, key);
        if (!cart) return cartNotFound();
        const method = cart.shippingMethodCode === null ? null : await deps.shipping.find(tx, cart.shippingMethodCode);
        const keepsMethod = method !== null && method.countries.includes(shippingAddress!.countryCode);
        await carts.update(tx, cart.id, { shippingAddress, billingAddress: billingAddress ?? null, ...(keepsMethod ? {} : { shippingMethodCode: null }) });
        return { __typename: 'CartUpdated', cart: { id: cart.id } } as const;
      });
    },
  };
}
