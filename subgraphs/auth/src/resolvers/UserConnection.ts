import type { UserConnectionResolvers } from '../__generated__/resolvers-types.js';

export const UserConnection: UserConnectionResolvers = {
  // Counted only when asked for: it is the one part of a page that costs a scan of the matching users.
  totalCount: ({ filter }, _args, { admin }) => admin.countUsers(filter),
};
