import { isUuid } from '@meridian/platform';
import type { NotificationRecipientResolvers } from '../__generated__/resolvers-types.js';

// Reached only with the `notifications` role (declared on the type); N references cost one read of accounts.
export const NotificationRecipient: NotificationRecipientResolvers = {
  __resolveReference: async ({ userId }, { loaders }) => {
    const account = isUuid(userId) ? await loaders.accountById.load(userId.toLowerCase()) : null;
    return account ? { userId: account.id, email: account.email } : null;
  },
};
