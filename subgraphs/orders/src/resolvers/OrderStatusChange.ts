import type { OrderStatus, OrderStatusChangeResolvers } from '../__generated__/resolvers-types.js';

export const OrderStatusChange: OrderStatusChangeResolvers = {
  from: (change) => change.fromStatus as OrderStatus | null,
  to: (change) => change.toStatus as OrderStatus,
  // The generated type of an enum with internal values is `null` (graphql-codegen); the value is one of order-state.rules.ts's events.
  event: (change) => change.event as never,
};
