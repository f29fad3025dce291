import { requireViewer } from '@meridian/platform';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';

export const Mutation: MutationResolvers = {
  updateProfile: (_parent, { input }, context) => context.profiles.update(requireViewer(context), input),
  addAddress: (_parent, { input }, context) => context.addresses.add(requireViewer(context), input),
  updateAddress: (_parent, { id, input }, context) => context.addresses.update(requireViewer(context), id, input),
  deleteAddress: (_parent, { id }, context) => context.addresses.delete(requireViewer(context), id),
  setDefaultAddress: (_parent, { id, kind }, context) => context.addresses.setDefault(requireViewer(context), id, kind),
};
