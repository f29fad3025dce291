import { requireViewer } from '@meridian/platform';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';

export const Query: QueryResolvers = {
  me: (_parent, _args, { viewer, loaders }) => (viewer ? loaders.accountById.load(viewer.userId) : null),
  mySessions: (_parent, _args, context) => context.sessions.list(requireViewer(context)),
  users: (_parent, args, { admin }) => admin.listUsers(args),
};
