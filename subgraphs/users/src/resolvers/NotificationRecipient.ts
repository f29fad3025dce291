import { isUuid } from '@meridian/platform';
import type { NotificationRecipientResolvers } from '../__generated__/resolvers-types.js';

// Reached only with the `notifications` role (declared on the type); N recipients cost one read of profiles.
export const NotificationRecipient: NotificationRecipientResolvers = {
  __resolveReference: async ({ userId }, { loaders }) => {
    const profile = isUuid(userId) ? await loaders.profileByUserId.load(userId.toLowerCase()) : null;
    return { userId, preferredLocale: profile?.preferredLocale ?? null };
  },
};
