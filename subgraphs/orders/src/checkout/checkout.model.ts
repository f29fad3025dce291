import type { AddressSnapshot, TaxLineSnapshot } from '@meridian/db/orders';

/** One line of a cart as the order keeps it: priced and taxed by the cart service, with the catalog's SKU. */
export interface CartSnapshotLine {
  lineId: string;
  variantId: string;
  quantity: number;
  unitPriceMinor: bigint;
  lineTotalMinor: bigint;
  discountMinor: bigint;
  taxMinor: bigint;
}

/** A cart as the checkout takes it over (the cart service's `checkoutCart`): everything the order keeps. */
export interface CartSnapshot {
  id: string;
  isGuest: boolean;
  currency: string;
  lines: CartSnapshotLine[];
  subtotalMinor: bigint;
  shippingMinor: bigint;
  discountMinor: bigint;
  taxMinor: bigint;
  totalMinor: bigint;
  pricesIncludeTax: boolean;
  taxStatus: 'CALCULATED' | 'ADDRESS_REQUIRED' | 'UNSUPPORTED_COUNTRY';
  taxLines: TaxLineSnapshot[];
  shippingMethod: string | null;
  shippingAddress: AddressSnapshot | null;
  billingAddress: AddressSnapshot | null;
}

/** The catalog's word on a variant now, in the cart's currency: its price (null when not sold) and the rate it was converted at. */
export interface VariantPriceNow {
  sku: string | null;
  priceMinor: bigint | null;
  exchangeRate: { id: string; asOf: string } | null;
}

/** Who checks out: the signed-in user (verified by this service), or a guest holding the cart's token. */
export interface CheckoutCaller {
  userId: string | null;
  cartToken: string | null;
}

/** The cart, if `caller` may check it out; null exactly as for an unknown cart. Throws when the cart service cannot be asked. */
export type ReadCart = (cartId: string, caller: CheckoutCaller) => Promise<CartSnapshot | null>;

/** The catalog's current prices of variants in a currency. Throws when the catalog cannot be asked. */
export type ReadPrices = (variantIds: readonly string[], currency: string) => Promise<Map<string, VariantPriceNow>>;

export type ReserveOutcome =
  | { ok: true; reservationId: string }
  | { ok: false; shortages: { variantId: string; requested: number; available: number }[] };

/** The inventory, as the orders service calls it (through the router, with the `checkout` service identity). */
export interface StockPort {
  reserve(lines: readonly { variantId: string; quantity: number }[], ttlSeconds: number): Promise<ReserveOutcome>;
  /** Idempotent: a reservation already released, committed or expired is left as it is. */
  release(reservationId: string): Promise<void>;
  /** Takes the reserved units out of the stock; false when the reservation is no longer active (released or expired). */
  commit(reservationId: string): Promise<boolean>;
}

/** The cart service is told its cart became an order, so it cannot be bought twice or changed after. Idempotent. */
export type CloseCart = (cartId: string, orderId: string) => Promise<void>;

/** Where a kill test stops the process dead, to show what a crash at that point leaves (NODE_ENV=test only). */
export type CheckoutStep = 'after-reservation' | 'after-order';
export type FaultPoint = (step: CheckoutStep) => Promise<void>;
