import type { OrderEventKindResolvers } from '../__generated__/resolvers-types.js';

// Events are stored and handled in lower case (order-state.rules.ts); the GraphQL enum names them in upper case.
export const OrderEventKind: OrderEventKindResolvers = { PLACE: 'place', PAY: 'pay', FULFIL: 'fulfil', DELIVER: 'deliver', CANCEL: 'cancel', REFUND: 'refund' };
