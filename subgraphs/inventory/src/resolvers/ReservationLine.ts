import type { ReservationLineResolvers } from '../__generated__/resolvers-types.js';

export const ReservationLine: ReservationLineResolvers = {
  variant: ({ variantId }) => ({ id: variantId }),
  location: async ({ locationId }, _args, { loaders }) => (await loaders.locationById.load(locationId))!,
};
