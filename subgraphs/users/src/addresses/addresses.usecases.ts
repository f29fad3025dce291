import { sql } from 'drizzle-orm';
import { checkIdempotencyKey, idempotencyKeyReused, isUuid, requestFingerprint, validationFailed, type Viewer } from '@meridian/platform';
import type { UsersDb, UsersExecutor } from '../db.js';
import type { IdempotencyRepository } from '../idempotency/idempotency.repository.js';
import type { ProfilesRepository } from '../profile/profiles.repository.js';
import type { UserReference } from '../profile/profile.model.js';
import { validateAddress, type AddressInput } from '@meridian/addresses';
import { addressNotFound, limitReached } from './addresses.errors.js';
import type { Address, AddressKind } from './addresses.model.js';
import type { AddressesRepository } from './addresses.repository.js';

export const MAX_ADDRESSES_PER_USER = 100;

/** The `operation` of addAddress's idempotency keys. */
const ADD_ADDRESS = 'addAddress';

/** An address as stored in an idempotency key's result (JSON: its instants are strings there). */
function reviveAddress(stored: unknown): Address {
  const address = stored as Address & { createdAt: string | Date; updatedAt: string | Date };
  return { ...address, createdAt: new Date(address.createdAt), updatedAt: new Date(address.updatedAt) };
}

type Tagged<T, Name extends string> = T & { __typename: Name };

export type AddressUseCases = ReturnType<typeof createAddressUseCases>;

/** Serializes address-book writes of one user, so the size limit holds under concurrent adds. */
async function lockAddressBook(tx: UsersExecutor, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`users.addresses:${userId}`}, 0))`);
}

/**
 * The address book of the signed-in user. Every id is looked up together with the viewer's user id,
 * so another user's address behaves exactly like one that does not exist.
 */
export function createAddressUseCases(deps: { db: UsersDb; addresses: AddressesRepository; profiles: ProfilesRepository; idempotency: IdempotencyRepository }) {
  const { db, addresses, profiles } = deps;
  const tag = (address: Address): Tagged<Address, 'Address'> => ({ ...address, __typename: 'Address' });
  // Every success returns the viewer too, so a client's cached address book follows the change.
  const owner = (viewer: Viewer): Tagged<UserReference, 'User'> => ({ __typename: 'User', id: viewer.userId });

  return {
    /**
     * Adds an address. With an idempotency key, a retry of the same request (its answer lost, say)
     * gets the address the first one added instead of a second one; the key with other input is refused.
     */
    async add(viewer: Viewer, input: AddressInput, idempotencyKey?: string | null) {
      const keyViolation = idempotencyKey == null ? null : checkIdempotencyKey(idempotencyKey);
      if (keyViolation) return validationFailed([keyViolation]);
      const checked = validateAddress(input);
      if (!checked.ok) return validationFailed(checked.violations);
      const fingerprint = requestFingerprint(checked.value);
      return db.transaction(async (tx) => {
        // Also serializes requests with one idempotency key: the second waits here and finds the first's result.
        await lockAddressBook(tx, viewer.userId);
        if (idempotencyKey != null) {
          const earlier = await deps.idempotency.find(tx, viewer.userId, ADD_ADDRESS, idempotencyKey);
          if (earlier && earlier.requestFingerprint !== fingerprint) return idempotencyKeyReused();
          if (earlier) return { __typename: 'AddressAdded', address: tag(reviveAddress(earlier.result)), user: owner(viewer) } as const;
        }
        if ((await addresses.countByUser(tx, viewer.userId)) >= MAX_ADDRESSES_PER_USER) return limitReached(MAX_ADDRESSES_PER_USER);
        const address = tag(await addresses.insert(tx, viewer.userId, checked.value));
        if (idempotencyKey != null) await deps.idempotency.store(tx, { userId: viewer.userId, operation: ADD_ADDRESS, key: idempotencyKey, requestFingerprint: fingerprint, result: address });
        return { __typename: 'AddressAdded', address, user: owner(viewer) } as const;
      });
    },

    /** Applies a patch (absent keys unchanged, null clears) and validates the resulting address as a whole. */
    async update(viewer: Viewer, id: string, patch: AddressInput) {
      if (!isUuid(id)) return addressNotFound();
      return db.transaction(async (tx) => {
        const current = await addresses.findOwnedForUpdate(tx, viewer.userId, id);
        if (!current) return addressNotFound();
        const merged: AddressInput = { ...current };
        for (const [key, value] of Object.entries(patch)) if (value !== undefined) merged[key as keyof AddressInput] = value;
        const checked = validateAddress(merged);
        if (!checked.ok) return validationFailed(checked.violations);
        const updated = await addresses.update(tx, viewer.userId, id, checked.value);
        return updated ? ({ __typename: 'AddressUpdated', address: tag(updated), user: owner(viewer) } as const) : addressNotFound();
      });
    },

    async delete(viewer: Viewer, id: string) {
      if (!isUuid(id)) return addressNotFound();
      const deleted = await db.transaction((tx) => addresses.delete(tx, viewer.userId, id));
      // As stored, so it matches the id the client has cached whatever case it was sent in.
      return deleted ? ({ __typename: 'AddressDeleted', id: id.toLowerCase(), user: owner(viewer) } as const) : addressNotFound();
    },

    async setDefault(viewer: Viewer, id: string, kind: AddressKind) {
      if (!isUuid(id)) return addressNotFound();
      return db.transaction(async (tx) => {
        // The lock keeps the address from being deleted between the check and the write.
        if (!(await addresses.findOwnedForUpdate(tx, viewer.userId, id))) return addressNotFound();
        await profiles.setDefaultAddress(tx, viewer.userId, kind, id);
        return { __typename: 'DefaultAddressSet', user: owner(viewer) } as const;
      });
    },
  };
}
