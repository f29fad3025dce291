import { requireViewer } from '@meridian/platform';
import type { UserResolvers } from '../__generated__/resolvers-types.js';

// Who may read a User is declared on the type (@private) and enforced in one place (platform authorization).
export const User: UserResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.accountById.load(reference.id),
  sessions: ({ id }, _args, context) => context.sessions.listOf(requireViewer(context), id),
  secondFactors: ({ id }, _args, { secondFactors }) => secondFactors.summaryOf(id),
};
