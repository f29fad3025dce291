import type { AddressResolvers } from '../__generated__/resolvers-types.js';

// Another user's address resolves to null, exactly like an unknown id: Address is @private(owner: "userId").
export const Address: AddressResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.addressById.load(reference.id),
};
