import { signedInUser } from '@meridian/platform';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';

export const Query: QueryResolvers = {
  // A service identity is nobody's account: null, as for a request without a token.
  me: (_parent, _args, { viewer, loaders }) => {
    const user = signedInUser(viewer);
    return user ? loaders.accountById.load(user.userId) : null;
  },
  users: (_parent, args, { admin }) => admin.listUsers(args),
};
