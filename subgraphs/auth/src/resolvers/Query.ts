import { isUuid, signedInUser } from '@meridian/platform';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';

export const Query: QueryResolvers = {
  // A service identity is nobody's account: null, as for a request without a token.
  me: (_parent, _args, { viewer, loaders }) => {
    const user = signedInUser(viewer);
    return user ? loaders.accountById.load(user.userId) : null;
  },
  users: (_parent, args, { admin }) => admin.listUsers(args),
  notificationRecipient: async (_parent, { userId }, { loaders }) => {
    const account = isUuid(userId) ? await loaders.accountById.load(userId.toLowerCase()) : null;
    return account ? { userId: account.id, email: account.email } : null;
  },
};
