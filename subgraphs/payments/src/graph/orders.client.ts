import { dataOf, type GraphAnswer, type SendOperation } from '@meridian/platform';
import type { OrderOutcome, OrderView } from '../payments/payments.usecases.js';

type Send = (variables: Record<string, unknown>) => Promise<GraphAnswer>;

interface OrderAnswer {
  id: string;
  status: string;
  currency: string;
  total: { minorUnits: string };
  shippingAddress: { countryCode: string } | null;
}

const viewOf = (order: OrderAnswer | null): OrderView | null =>
  order ? { id: order.id, status: order.status, currency: order.currency, totalMinor: BigInt(order.total.minorUnits), country: order.shippingAddress?.countryCode ?? null } : null;

/** The orders service's `order(id:)` (`PaymentOrder`), with the shopper's own token: null unless the shopper may read the order. */
export function createOrderReader(send: SendOperation): (orderId: string, accessToken: string) => Promise<OrderView | null> {
  return async (orderId, accessToken) => viewOf(dataOf('PaymentOrder', await send({ id: orderId }, accessToken)).order as OrderAnswer | null);
}

/** The orders service's `guestOrder(id:, cartToken:)` (`PaymentGuestOrder`), with the service's token: null unless the token is the order's cart's. */
export function createGuestOrderReader(send: Send): (orderId: string, cartToken: string) => Promise<OrderView | null> {
  return async (orderId, cartToken) => viewOf(dataOf('PaymentGuestOrder', await send({ id: orderId, cartToken })).guestOrder as OrderAnswer | null);
}

const outcomeOf = (name: string, answer: GraphAnswer, field: string): OrderOutcome => {
  const result = dataOf(name, answer)[field] as { __typename: string; from?: string } | null;
  if (result?.__typename === 'OrderUpdated') return 'recorded';
  return result?.__typename === 'IllegalOrderTransition' && result.from === 'CANCELLED' ? 'cancelled' : 'refused';
};

/** `markOrderPaid` (`RecordOrderPayment`), with the service's token; throws when the orders service cannot be asked. */
export const createOrderPaidRecorder = (send: Send) => async (orderId: string, reference: string) => outcomeOf('RecordOrderPayment', await send({ id: orderId, reference }), 'markOrderPaid');

/** `recordOrderRefund` (`RecordOrderRefund`), with the service's token; throws when the orders service cannot be asked. */
export const createOrderRefundRecorder = (send: Send) => async (orderId: string, amountMinor: bigint, reference: string) =>
  outcomeOf('RecordOrderRefund', await send({ id: orderId, amountMinorUnits: amountMinor.toString(), reference }), 'recordOrderRefund');
