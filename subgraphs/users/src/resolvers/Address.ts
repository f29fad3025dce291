import { canActFor } from '@meridian/platform';
import type { AddressResolvers } from '../__generated__/resolvers-types.js';

export const Address: AddressResolvers = {
  // Another user's address resolves to null, exactly like an unknown id.
  __resolveReference: async (reference, { viewer, loaders }) => {
    const address = await loaders.addressById.load(reference.id);
    return address && canActFor(viewer, address.userId) ? address : null;
  },
};
