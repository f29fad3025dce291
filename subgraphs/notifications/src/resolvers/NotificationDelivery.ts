import type { NotificationDeliveryResolvers } from '../__generated__/resolvers-types.js';

// `kind` and `status` are read as stored (lower case); the enum resolvers (NotificationEnums.ts) name them.
export const NotificationDelivery: NotificationDeliveryResolvers = {
  orderNumber: (delivery) => delivery.data.orderNumber,
  nextAttemptAt: (delivery) => (delivery.status === 'pending' ? delivery.nextAttemptAt : null),
};
