import { notFound } from '@meridian/platform';
import type { OrderEvent, OrderStatus } from './orders/order-state.rules.js';

/** Expected failures of the orders service, shaped as the GraphQL union members they become. */

/** An unknown cart, a wrong token, someone else's cart and a closed one read the same. */
export const cartNotFound = () => notFound('No cart with this id, or not with this token');

/** An unknown order and someone else's read the same. */
export const orderNotFound = () => notFound('No order with this id');

export const cartEmpty = () => ({ __typename: 'CartEmpty', code: 'CART_EMPTY', message: 'The cart has no lines: there is nothing to check out' }) as const;

export const pricesChanged = (lines: number) =>
  ({
    __typename: 'PricesChanged',
    code: 'PRICES_CHANGED',
    message: `${lines} line${lines === 1 ? '' : 's'} changed price since added: accept the current prices (applyCartPriceChanges), then check out with a new key`,
    lines,
  }) as const;

export interface Shortage {
  variantId: string;
  requested: number;
  available: number;
}

export type OutOfStock = ReturnType<typeof outOfStock>;

export const outOfStock = (shortages: readonly Shortage[]) =>
  ({
    __typename: 'OutOfStock',
    code: 'OUT_OF_STOCK',
    message: 'Not enough stock for some lines: nothing was ordered',
    shortages: shortages.map((shortage) => ({ ...shortage })),
  }) as const;

export const cartAlreadyOrdered = () => ({ __typename: 'CartAlreadyOrdered', code: 'CART_ALREADY_ORDERED', message: 'The cart was checked out already' }) as const;

export const checkoutInProgress = () =>
  ({ __typename: 'CheckoutInProgress', code: 'CHECKOUT_IN_PROGRESS', message: 'A checkout of this cart is still running; retry the same request in a moment' }) as const;

export const checkoutAbandoned = () =>
  ({
    __typename: 'CheckoutAbandoned',
    code: 'CHECKOUT_ABANDONED',
    message: 'The checkout stopped before its order was written and was undone; nothing was bought. Check out again with a new key',
  }) as const;

export type IllegalOrderTransition = ReturnType<typeof illegalTransition>;

export const illegalTransition = (from: OrderStatus, event: OrderEvent, allowed: readonly OrderEvent[]) =>
  ({
    __typename: 'IllegalOrderTransition',
    code: 'ILLEGAL_ORDER_TRANSITION',
    message: `An order in ${from} cannot ${event}${allowed.length > 0 ? `; it can ${allowed.join(', ')}` : '; it is final'}`,
    from,
    event,
    allowed: [...allowed],
  }) as const;
