import type { Money } from '@meridian/money';
import type { CartAddressSnapshot, ShippingMethodNames } from '@meridian/db/cart';
import type { DiscountRejection, DiscountCodeTerms } from '../discounts/discount.rules.js';
import type { TaxLineTotal } from '../pricing/cart-totals.rules.js';

/** A cart as GraphQL refers to it: its fields are read from its view (`CartContext.loaders.cartView`), once per request. */
export interface CartRef {
  id: string;
}

/** A variant known by id (the catalog resolves its fields). */
export interface VariantReference {
  id: string;
}

export interface StoredLine {
  id: string;
  variantId: string;
  quantity: number;
  unitPriceMinor: bigint;
  currency: string;
}

/** A cart with its lines and everything its totals depend on, as read in one statement. */
export interface StoredCart {
  id: string;
  userId: string | null;
  tokenHash: string | null;
  status: 'open' | 'merged' | 'ordered';
  currency: string;
  shippingAddress: CartAddressSnapshot | null;
  billingAddress: CartAddressSnapshot | null;
  createdAt: Date;
  updatedAt: Date;
  lines: StoredLine[];
  pricesIncludeTax: boolean;
  /** The tax of the shipping address's country; null without an address or without a rate for it. */
  taxRate: { name: string; rate: string } | null;
  /** The chosen shipping method with its price in the cart's currency; null when none is chosen (or it has no price in it). */
  shippingMethod: { code: string; names: ShippingMethodNames; amountMinor: bigint } | null;
  discount: (DiscountCodeTerms & { code: string }) | null;
}

export interface PriceChangeView {
  previous: Money;
  current: Money;
}

export interface CartLineView {
  id: string;
  variant: VariantReference;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
  discountAllocation: Money;
  tax: Money | null;
  priceChange: PriceChangeView | null;
  isAvailable: boolean;
}

export interface ShippingMethodView {
  code: string;
  names: ShippingMethodNames;
  price: Money;
}

export interface CartDiscountView {
  code: string;
  kind: 'PERCENTAGE' | 'FIXED_AMOUNT';
  percentage: string | null;
  fixedAmount: Money | null;
  rejection: DiscountRejection | null;
}

export type CartTaxStatus = 'CALCULATED' | 'ADDRESS_REQUIRED' | 'UNSUPPORTED_COUNTRY';

/** Everything a cart answers, computed once per cart and request. */
export interface CartView {
  id: string;
  userId: string | null;
  isGuest: boolean;
  currency: string;
  lines: CartLineView[];
  itemCount: number;
  subtotal: Money;
  discount: CartDiscountView | null;
  discountTotal: Money;
  shippingAddress: CartAddressSnapshot | null;
  billingAddress: CartAddressSnapshot | null;
  shippingMethod: ShippingMethodView | null;
  shippingTotal: Money;
  pricesIncludeTax: boolean;
  taxStatus: CartTaxStatus;
  taxLines: TaxLineTotal[];
  taxTotal: Money;
  total: Money;
  hasPriceChanges: boolean;
  pricesChecked: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** `addToCart`'s success: the cart, the line's id (its fields come from the cart's view) and a new guest cart's token. */
export interface CartLineAddedPayload {
  cart: CartRef;
  lineId: string;
  cartToken: string | null;
}

/** A user known by id (the auth service owns it). */
export interface UserReference {
  id: string;
}
