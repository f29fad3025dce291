import { requireViewer } from '@meridian/platform';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import type { UsersContext } from '../context.js';

/** Runs a write, then drops what this request had loaded, so the fields the client selects read the new state. */
async function write<T>(context: UsersContext, change: Promise<T>): Promise<T> {
  try {
    return await change;
  } finally {
    context.loaders.clearAll();
  }
}

export const Mutation: MutationResolvers = {
  updateProfile: (_parent, { input }, context) => write(context, context.profiles.update(requireViewer(context), input)),
  addAddress: (_parent, { input, idempotencyKey }, context) => write(context, context.addresses.add(requireViewer(context), input, idempotencyKey)),
  updateAddress: (_parent, { id, input }, context) => write(context, context.addresses.update(requireViewer(context), id, input)),
  deleteAddress: (_parent, { id }, context) => write(context, context.addresses.delete(requireViewer(context), id)),
  setDefaultAddress: (_parent, { id, kind }, context) => write(context, context.addresses.setDefault(requireViewer(context), id, kind)),
  eraseUsersAccountData: (_parent, _args, context) => write(context, context.erasure.erase(requireViewer(context))),
};
