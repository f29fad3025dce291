import { compare, money, type Money } from '@meridian/money';
import { discountRejection, discountTerms, displayPercentage, fixedAmountOf } from '../discounts/discount.rules.js';
import type { VariantOffer } from '../merge/merge.rules.js';
import { cartTotals } from '../pricing/cart-totals.rules.js';
import type { CartDiscountView, CartTaxStatus, CartView, StoredCart } from './carts.model.js';

/**
 * What a cart answers, from what it holds and the catalog's prices now (`offers`, null when the catalog
 * could not be asked). The totals count the prices the lines hold; a different current price is only
 * shown (`priceChange`), never applied; a discount that stopped applying takes nothing off and says why.
 */
export function cartView(cart: StoredCart, offers: ReadonlyMap<string, VariantOffer> | null, now: Date): CartView {
  const { currency } = cart;
  const rejection = cart.discount === null ? null : discountRejection(cart.discount, currency, now);
  const taxStatus: CartTaxStatus = cart.shippingAddress === null ? 'ADDRESS_REQUIRED' : cart.taxRate === null ? 'UNSUPPORTED_COUNTRY' : 'CALCULATED';
  const shipping = cart.shippingMethod === null ? null : money(cart.shippingMethod.amountMinor, currency);
  const unitPrices = new Map<string, Money>(cart.lines.map((line) => [line.id, money(line.unitPriceMinor, line.currency)]));
  const totals = cartTotals({
    currency,
    lines: cart.lines.map((line) => ({ id: line.id, unitPrice: unitPrices.get(line.id)!, quantity: line.quantity })),
    pricesIncludeTax: cart.pricesIncludeTax,
    tax: taxStatus === 'CALCULATED' ? cart.taxRate : null,
    shipping,
    discount: cart.discount !== null && rejection === null ? discountTerms(cart.discount) : null,
  });
  const lines = cart.lines.map((line, index) => {
    const unitPrice = unitPrices.get(line.id)!;
    const offer = offers?.get(line.variantId);
    const current = offer?.price ?? null;
    const changed = current !== null && current.currency === unitPrice.currency && compare(current, unitPrice) !== 0;
    const { lineTotal, discountAllocation, tax } = totals.lines[index]!;
    return {
      id: line.id,
      variant: { id: line.variantId },
      quantity: line.quantity,
      unitPrice,
      lineTotal,
      discountAllocation,
      tax,
      priceChange: changed ? { previous: unitPrice, current } : null,
      // Unknown while the catalog cannot be asked: the line is not called unavailable on a guess.
      isAvailable: offers === null || current !== null,
    };
  });
  const discount: CartDiscountView | null =
    cart.discount === null
      ? null
      : {
          code: cart.discount.code,
          kind: cart.discount.kind === 'percentage' ? 'PERCENTAGE' : 'FIXED_AMOUNT',
          percentage: cart.discount.percentage === null ? null : displayPercentage(cart.discount.percentage),
          fixedAmount: fixedAmountOf(cart.discount),
          rejection,
        };
  return {
    id: cart.id,
    userId: cart.userId,
    isGuest: cart.userId === null,
    currency,
    lines,
    itemCount: cart.lines.reduce((count, line) => count + line.quantity, 0),
    subtotal: totals.subtotal,
    discount,
    discountTotal: totals.discountTotal,
    shippingAddress: cart.shippingAddress,
    billingAddress: cart.billingAddress,
    shippingMethod: cart.shippingMethod === null || shipping === null ? null : { code: cart.shippingMethod.code, names: cart.shippingMethod.names, price: shipping },
    shippingTotal: totals.shippingTotal,
    pricesIncludeTax: cart.pricesIncludeTax,
    taxStatus,
    taxLines: totals.taxLines,
    taxTotal: totals.taxTotal,
    total: totals.total,
    hasPriceChanges: lines.some((line) => line.priceChange !== null),
    pricesChecked: offers !== null,
    createdAt: cart.createdAt,
    updatedAt: cart.updatedAt,
  };
}
