import { requireViewer } from '@meridian/platform';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';

export const Mutation: MutationResolvers = {
  register: (_parent, { input }, { accounts, client }) => accounts.register(input, client),
  login: (_parent, { input }, { accounts, client }) => accounts.login(input, client),
  refreshSession: (_parent, { refreshToken }, { sessions }) => sessions.refresh(refreshToken),
  logout: (_parent, _args, context) => context.sessions.logout(requireViewer(context)),
};
