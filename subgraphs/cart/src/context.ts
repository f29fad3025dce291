import DataLoader from 'dataloader';
import { fallbackChain, signedInUser, type RelayedByRouter, type RequestBase } from '@meridian/platform';
import type { CartAddressUseCases } from './addresses/cart-addresses.usecases.js';
import type { CartView, StoredCart } from './carts/carts.model.js';
import type { CartCheckoutUseCases } from './checkout/cart-checkout.usecases.js';
import type { CartUseCases, Shopper } from './carts/carts.usecases.js';
import type { DiscountUseCases } from './discounts/discounts.usecases.js';
import type { AccountErasureUseCases } from './erasure/account-erasure.usecases.js';
import type { MergeUseCases } from './merge/merge.usecases.js';
import type { ShippingMethodOffer } from './shipping/shipping.repository.js';
import type { ShippingUseCases } from './shipping/shipping.usecases.js';

/** Shipping method names end their fallback chain in English: every method is named in English. */
const SHIPPING_NAMES_FALLBACK = 'en';

/** Per-request batching and memoization: a cart is read (one statement) and priced once per request. */
export interface CartLoaders {
  /** Carts with their lines and pricing terms; access checks and views share it. */
  storedCart: DataLoader<string, StoredCart | null>;
  /** What a cart answers, computed once per cart and request. */
  cartView: DataLoader<string, CartView | null>;
  /** The open cart of each user (`User.cart`). */
  openCartOfUser: DataLoader<string, string | null>;
  /** Every active shipping method with its prices, read when a field needs them. */
  shippingMethods: () => Promise<ShippingMethodOffer[]>;
  /** Forgets everything loaded so far: called after every write, so the fields a client selects read the new state. */
  clearAll(): void;
}

export interface CartUseCaseSet {
  carts: CartUseCases;
  merge: MergeUseCases;
  addresses: CartAddressUseCases;
  shipping: ShippingUseCases;
  discounts: DiscountUseCases;
  erasure: AccountErasureUseCases;
  checkout: CartCheckoutUseCases;
}

/** Everything a resolver of the cart subgraph may use, built once per request. */
export interface CartContext extends RequestBase, CartUseCaseSet {
  /** Who is asking, as the use cases need it. */
  shopper: Shopper;
  /** The request's locale, then its shorter tags, then English: for shipping method names. */
  chain: string[];
  loaders: CartLoaders;
}

export function createLoaders(useCases: CartUseCaseSet): CartLoaders {
  let shippingMethods: Promise<ShippingMethodOffer[]> | null = null;
  const storedCart = new DataLoader((ids: readonly string[]) => useCases.carts.stored(ids));
  const cartView = new DataLoader(async (ids: readonly string[]) => useCases.carts.views(await Promise.all(ids.map((id) => storedCart.load(id)))));
  const openCartOfUser = new DataLoader((userIds: readonly string[]) => useCases.carts.openCartIdsOfUsers(userIds));
  return {
    storedCart,
    cartView,
    openCartOfUser,
    shippingMethods: () => (shippingMethods ??= useCases.shipping.all()),
    clearAll() {
      storedCart.clearAll();
      cartView.clearAll();
      openCartOfUser.clearAll();
      shippingMethods = null;
    },
  };
}

export function createCartContext(base: RequestBase, relayed: RelayedByRouter, useCases: CartUseCaseSet): CartContext {
  const user = signedInUser(base.viewer);
  return {
    ...base,
    ...useCases,
    shopper: { userId: user?.userId ?? null, currency: base.localization.currency, accessToken: user ? relayed.accessToken : null },
    chain: fallbackChain(base.localization.locale, SHIPPING_NAMES_FALLBACK),
    loaders: createLoaders(useCases),
  };
}
