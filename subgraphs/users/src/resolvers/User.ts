import { canActFor } from '@meridian/platform';
import type { UserResolvers } from '../__generated__/resolvers-types.js';
import type { UsersContext } from '../context.js';
import type { AddressKind } from '../addresses/addresses.model.js';
import { EMPTY_PROFILE } from '../profile/profile.model.js';

async function defaultAddress(userId: string, kind: AddressKind, { loaders }: UsersContext) {
  const profile = await loaders.profileByUserId.load(userId);
  const id = kind === 'SHIPPING' ? profile?.defaultShippingAddressId : profile?.defaultBillingAddressId;
  if (!id) return null;
  // Found among the user's addresses, so asking for defaults and the address book costs one query.
  return (await loaders.addressesByUserId.load(userId)).find((address) => address.id === id) ?? null;
}

/** Everything here is private: visible to the user themself and to admins, null for anyone else. */
export const User: UserResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  profile: async ({ id }, _args, context) =>
    canActFor(context.viewer, id) ? ((await context.loaders.profileByUserId.load(id)) ?? EMPTY_PROFILE) : null,
  addresses: ({ id }, _args, context) => (canActFor(context.viewer, id) ? context.loaders.addressesByUserId.load(id) : null),
  defaultShippingAddress: ({ id }, _args, context) => (canActFor(context.viewer, id) ? defaultAddress(id, 'SHIPPING', context) : null),
  defaultBillingAddress: ({ id }, _args, context) => (canActFor(context.viewer, id) ? defaultAddress(id, 'BILLING', context) : null),
};
