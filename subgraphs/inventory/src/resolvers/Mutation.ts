import type { MutationResolvers } from '../__generated__/resolvers-types.js';

export const Mutation: MutationResolvers = {
  reserve: (_parent, { lines, ttl }, { reservations }) => reservations.reserve(lines, ttl),
  release: (_parent, { reservationId }, { reservations }) => reservations.release(reservationId),
  commit: (_parent, { reservationId }, { reservations }) => reservations.commit(reservationId),
  createStockLocation: (_parent, { input }, { stock }) => stock.createLocation(input),
  receiveStock: (_parent, { input }, { stock }) => stock.receive(input),
  adjustStock: (_parent, { input }, { stock }) => stock.adjust(input),
};
