import type { Viewer } from '@meridian/platform';
import type { AddressesRepository } from '../addresses/addresses.repository.js';
import type { UsersDb } from '../db.js';
import type { IdempotencyRepository } from '../idempotency/idempotency.repository.js';
import type { ProfilesRepository } from '../profile/profiles.repository.js';

export type AccountErasureUseCases = ReturnType<typeof createAccountErasureUseCases>;

/**
 * The users service's part of account deletion: the auth service's outbox calls it (through the router,
 * retried until it succeeds) with a token naming the deleted account. Idempotent: a second call finds
 * nothing and answers the same.
 */
export function createAccountErasureUseCases(deps: { db: UsersDb; profiles: ProfilesRepository; addresses: AddressesRepository; idempotency: IdempotencyRepository }) {
  return {
    async erase(viewer: Viewer) {
      await deps.db.transaction(async (tx) => {
        // The profile first: its default-address columns point at the addresses.
        await deps.profiles.deleteByUser(tx, viewer.userId);
        await deps.addresses.deleteByUser(tx, viewer.userId);
        // Their results hold copies of addresses.
        await deps.idempotency.deleteByUser(tx, viewer.userId);
      });
      return { __typename: 'AccountDataErased', userId: viewer.userId } as const;
    },
  };
}
