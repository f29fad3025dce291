import type { QueryResolvers } from '../__generated__/resolvers-types.js';

export const Query: QueryResolvers = {
  me: (_parent, _args, { viewer, loaders }) => (viewer ? loaders.accountById.load(viewer.userId) : null),
  users: (_parent, args, { admin }) => admin.listUsers(args),
};
