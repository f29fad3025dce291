import { requireViewer } from '@meridian/platform';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';

export const Mutation: MutationResolvers = {
  retryNotification: (_parent, { id }, { deliveries }) => deliveries.retry(id),
  eraseNotificationsAccountData: (_parent, _args, context) => context.erasure.erase(requireViewer(context)),
};
