import type { QueryResolvers } from '../__generated__/resolvers-types.js';

export const Query: QueryResolvers = {
  stockLocations: (_parent, _args, { stock }) => stock.locations(),
  stockLevels: (_parent, { variantIds }, { stock }) => stock.levels(variantIds),
  reservation: (_parent, { id }, { reservations }) => reservations.find(id),
  inStockVariants: (_parent, { ids }, { stock }) => stock.inStock(ids),
  availabilityChanges: (_parent, { after, first }, { stock }) => stock.availabilityChanges(after ?? null, first ?? null),
};
