import { GraphCallError, dataOf, type GraphAnswer } from '@meridian/platform';
import type { AddressSnapshot } from '@meridian/db/orders';
import type { CartSnapshot, CloseCart, ReadCart } from '../checkout/checkout.model.js';

type Send = (variables: Record<string, unknown>) => Promise<GraphAnswer>;

interface Minor {
  minorUnits: string;
}

interface CartAnswer {
  id: string;
  isGuest: boolean;
  currency: string;
  lines: { id: string; variant: { id: string }; quantity: number; unitPrice: Minor; lineTotal: Minor; discountAllocation: Minor; tax: Minor | null }[];
  subtotal: Minor;
  discountTotal: Minor;
  shippingTotal: Minor;
  pricesIncludeTax: boolean;
  taxStatus: CartSnapshot['taxStatus'];
  taxLines: { name: string; rate: string; amount: Minor }[];
  taxTotal: Minor;
  total: Minor;
  shippingMethod: { code: string } | null;
  shippingAddress: AddressSnapshot | null;
  billingAddress: AddressSnapshot | null;
}

const minor = (value: Minor | null) => BigInt(value?.minorUnits ?? '0');

/**
 * The cart service's `checkoutCart` (`CheckoutCart`), with the orders service's token: the cart answers
 * only when the shopper (the user id this service verified, or the guest cart's token) may use it. Throws
 * when the cart service cannot be asked.
 */
export function createCartReader(send: Send): ReadCart {
  return async (cartId, caller) => {
    const data = dataOf('CheckoutCart', await send({ cartId, cartToken: caller.cartToken, userId: caller.userId }));
    const cart = data.checkoutCart as CartAnswer | null;
    if (!cart) return null;
    return {
      id: cart.id,
      isGuest: cart.isGuest,
      currency: cart.currency,
      lines: cart.lines.map((line) => ({
        lineId: line.id,
        variantId: line.variant.id.toLowerCase(),
        quantity: line.quantity,
        unitPriceMinor: minor(line.unitPrice),
        lineTotalMinor: minor(line.lineTotal),
        discountMinor: minor(line.discountAllocation),
        taxMinor: minor(line.tax),
      })),
      subtotalMinor: minor(cart.subtotal),
      shippingMinor: minor(cart.shippingTotal),
      discountMinor: minor(cart.discountTotal),
      taxMinor: minor(cart.taxTotal),
      totalMinor: minor(cart.total),
      pricesIncludeTax: cart.pricesIncludeTax,
      taxStatus: cart.taxStatus,
      taxLines: cart.taxLines.map((line) => ({ name: line.name, rate: line.rate, amountMinor: line.amount.minorUnits })),
      shippingMethod: cart.shippingMethod?.code ?? null,
      shippingAddress: cart.shippingAddress,
      billingAddress: cart.billingAddress,
    };
  };
}

/** Closes the cart that became an order (`CloseCheckedOutCart`, idempotent). Throws when the cart service refuses or cannot be asked. */
export function createCartCloser(send: Send): CloseCart {
  return async (cartId, orderId) => {
    const data = dataOf('CloseCheckedOutCart', await send({ cartId, orderId }));
    const result = data.closeCheckedOutCart as { __typename: string } | null;
    if (result?.__typename !== 'CartCheckedOut') throw new GraphCallError(`CloseCheckedOutCart answered ${result?.__typename ?? 'nothing'} for cart ${cartId}`);
  };
}
