import { notFound } from '@meridian/platform';
import type { DiscountRejection } from './discounts/discount.rules.js';
import { MAX_LINE_QUANTITY, MIN_LINE_QUANTITY } from './carts/cart-lines.rules.js';

/** Expected failures of the cart service, shaped as the GraphQL union members they become. */

export type OutOfStock = ReturnType<typeof outOfStock>;

/** An unknown cart, a closed one, a wrong token and someone else's cart all read the same. */
export const cartNotFound = () => notFound('No cart with this id, or not with this token');

export const lineNotFound = () => notFound('No line with this id in the cart');

export const variantNotSold = (currency: string) => notFound(`No product variant with this id is for sale in ${currency}`);

export const addressNotFound = () => notFound('No address with this id in your address book');

export const shippingMethodNotFound = () => notFound('No shipping method with this code');

export const discountCodeNotFound = () => notFound('No discount code like this');

/**
 * Too few units of the variant for the line (the inventory's `OutOfStock`, shared). A shopper learns how many
 * units are left only by asking for more than that, as in any shop.
 */
export const outOfStock = (variantId: string, requested: number, available: number) =>
  ({
    __typename: 'OutOfStock',
    code: 'OUT_OF_STOCK',
    message: available === 0 ? 'The variant is not in stock' : `Only ${available} of the variant can be bought now`,
    shortages: [{ variant: { id: variantId }, requested, available }],
  }) as const;

export const invalidQuantity = (requested: number) =>
  ({
    __typename: 'InvalidQuantity',
    code: 'INVALID_QUANTITY',
    message: `A cart line holds ${MIN_LINE_QUANTITY} to ${MAX_LINE_QUANTITY} units`,
    requested,
    min: MIN_LINE_QUANTITY,
    max: MAX_LINE_QUANTITY,
  }) as const;

const REJECTIONS: Record<DiscountRejection, string> = {
  NOT_YET_ACTIVE: 'The discount code is not valid yet',
  EXPIRED: 'The discount code has expired',
  USAGE_LIMIT_REACHED: 'The discount code has been used up',
  CURRENCY_MISMATCH: "The discount code is for another currency than the cart's",
};

export const discountNotApplicable = (rejection: DiscountRejection) => ({ __typename: 'DiscountNotApplicable', code: 'DISCOUNT_NOT_APPLICABLE', message: REJECTIONS[rejection], rejection }) as const;
