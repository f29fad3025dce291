import { canActFor } from '@meridian/platform';
import type { UserResolvers } from '../__generated__/resolvers-types.js';

export const User: UserResolvers = {
  // Another user's account resolves to null: e-mail and roles are visible to the user and admins only.
  __resolveReference: (reference, { viewer, loaders }) => (canActFor(viewer, reference.id) ? loaders.accountById.load(reference.id) : null),
};
