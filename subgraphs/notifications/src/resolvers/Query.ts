import type { QueryResolvers } from '../__generated__/resolvers-types.js';

export const Query: QueryResolvers = {
  notificationDeliveries: (_parent, { status, first, after }, { deliveries }) => deliveries.list({ status: status ?? null, first, after }),
};
