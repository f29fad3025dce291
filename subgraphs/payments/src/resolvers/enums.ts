import type { PaymentMethodCodeResolvers, PaymentStatusResolvers, RefundReasonResolvers, RefundStatusResolvers } from '../__generated__/resolvers-types.js';

// Stored and handled in lower case (payment-state.rules.ts, the adapters); the GraphQL enums name them in upper case.
export const PaymentMethodCode: PaymentMethodCodeResolvers = { CARD: 'card', PAYPAL: 'paypal', BANK_TRANSFER: 'bank_transfer' };
export const PaymentStatus: PaymentStatusResolvers = {
  CREATED: 'created',
  REQUIRES_ACTION: 'requires_action',
  AUTHORIZED: 'authorized',
  CAPTURED: 'captured',
  PARTIALLY_REFUNDED: 'partially_refunded',
  REFUNDED: 'refunded',
  CANCELLED: 'cancelled',
  FAILED: 'failed',
};
export const RefundStatus: RefundStatusResolvers = { PENDING: 'pending', SUCCEEDED: 'succeeded', FAILED: 'failed' };
export const RefundReason: RefundReasonResolvers = { REQUESTED: 'requested', ORDER_CANCELLED: 'order_cancelled', PROVIDER: 'provider' };
