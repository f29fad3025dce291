import type { UserResolvers } from '../__generated__/resolvers-types.js';
import type { UsersContext } from '../context.js';
import type { AddressKind } from '../addresses/addresses.model.js';
import { toProfile } from '../profile/profile.model.js';

async function defaultAddress(userId: string, kind: AddressKind, { loaders }: UsersContext) {
  const profile = await loaders.profileByUserId.load(userId);
  const id = kind === 'SHIPPING' ? profile?.defaultShippingAddressId : profile?.defaultBillingAddressId;
  if (!id) return null;
  // Found among the user's addresses, so asking for defaults and the address book costs one query.
  return (await loaders.addressesByUserId.load(userId)).find((address) => address.id === id) ?? null;
}

// Who may read these is declared on the type (@private) and enforced in one place (platform authorization).
export const User: UserResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  profile: async ({ id }, _args, { loaders }) => toProfile(await loaders.profileByUserId.load(id)),
  addresses: ({ id }, _args, { loaders }) => loaders.addressesByUserId.load(id),
  defaultShippingAddress: ({ id }, _args, context) => defaultAddress(id, 'SHIPPING', context),
  defaultBillingAddress: ({ id }, _args, context) => defaultAddress(id, 'BILLING', context),
};
