import { notFound } from '@meridian/platform';
import type { PaymentRow } from '@meridian/db/payments';
import type { PaymentStatus } from './payments/payment-state.rules.js';

/** Expected failures of the payments service, shaped as the GraphQL union members they become. */

/** An unknown payment and someone else's read the same. */
export const paymentNotFound = () => notFound('No payment with this id');

/** An unknown order and someone else's read the same. */
export const orderNotFound = () => notFound('No order with this id');

export const paymentDeclined = (payment: PaymentRow, declineCode: string | null) =>
  ({ __typename: 'PaymentDeclined', code: 'PAYMENT_DECLINED', message: 'The payment was declined; nothing was charged. Try another card with a new idempotency key', declineCode, payment }) as const;

export const paymentMethodUnavailable = () =>
  ({ __typename: 'PaymentMethodUnavailable', code: 'PAYMENT_METHOD_UNAVAILABLE', message: "This payment method is not offered for the order's country and currency" }) as const;

export const orderNotPayable = (status: string) =>
  ({ __typename: 'OrderNotPayable', code: 'ORDER_NOT_PAYABLE', message: `The order is ${status}: it does not wait for a payment` }) as const;

export const illegalPaymentTransition = (status: PaymentStatus, wanted: string) =>
  ({ __typename: 'IllegalPaymentTransition', code: 'ILLEGAL_PAYMENT_TRANSITION', message: `A payment in ${status} cannot be ${wanted}`, status }) as const;
