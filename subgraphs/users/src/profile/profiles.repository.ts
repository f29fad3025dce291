import { eq, sql } from 'drizzle-orm';
import { batchRead } from '@meridian/db';
import { profiles, type ProfileRow } from '@meridian/db/users';
import type { UsersDb, UsersExecutor } from '../db.js';
import type { AddressKind } from '../addresses/addresses.model.js';

export type ProfilePatchRow = Partial<Pick<ProfileRow, 'displayName' | 'phone' | 'preferredLocale' | 'preferredCurrency'>>;

export type ProfilesRepository = ReturnType<typeof createProfilesRepository>;

export function createProfilesRepository({ db }: { db: UsersDb }) {
  // Built once: the loaders run this on every request, and building a query costs more CPU than sending it.
  const byUserIds = batchRead(db, profiles, (userIds) => sql`${profiles.userId} = any(${userIds})`);

  return {
    async findByUserIds(userIds: readonly string[]): Promise<ProfileRow[]> {
      return byUserIds(userIds);
    },

    /** Creates the profile on first write; only the keys present in `patch` change. */
    async upsert(tx: UsersExecutor, userId: string, patch: ProfilePatchRow): Promise<ProfileRow> {
      const [row] = await tx
        .insert(profiles)
        .values({ userId, ...patch })
        .onConflictDoUpdate({ target: profiles.userId, set: { ...patch, updatedAt: sql`now()` } })
        .returning();
      if (!row) throw new Error('profile upsert returned no row');
      return row;
    },

    /** Account deletion: the profile is gone. */
    async deleteByUser(tx: UsersExecutor, userId: string): Promise<void> {
      await tx.delete(profiles).where(eq(profiles.userId, userId));
    },

    async setDefaultAddress(tx: UsersExecutor, userId: string, kind: AddressKind, addressId: string): Promise<void> {
      const column = kind === 'SHIPPING' ? 'defaultShippingAddressId' : 'defaultBillingAddressId';
      await tx
        .insert(profiles)
        .values({ userId, [column]: addressId })
        .onConflictDoUpdate({ target: profiles.userId, set: { [column]: addressId, updatedAt: sql`now()` } });
    },
  };
}
