import { and, eq, sql } from 'drizzle-orm';
import { batchRead } from '@meridian/db';
import { addresses } from '@meridian/db/users';
import type { UsersDb, UsersExecutor } from '../db.js';
import type { AddressFields } from '@meridian/addresses';
import type { Address } from './addresses.model.js';

export type AddressesRepository = ReturnType<typeof createAddressesRepository>;

export function createAddressesRepository({ db }: { db: UsersDb }) {
  // Built once: the loaders run these on every request, and building a query costs more CPU than sending it.
  const byUserIds = batchRead(db, addresses, (userIds) => sql`${addresses.userId} = any(${userIds}) order by ${addresses.userId}, ${addresses.id}`);
  const byIds = db
    .select()
    .from(addresses)
    .where(sql`${addresses.id} = any(${sql.placeholder('ids')})`)
    .prepare('addresses_by_ids');

  return {
    /** Every address of every given user, oldest first (UUIDv7 ids are time-ordered). */
    async listByUserIds(userIds: readonly string[]): Promise<Address[]> {
      return byUserIds(userIds);
    },

    async findByIds(ids: readonly string[]): Promise<Address[]> {
      return byIds.execute({ ids: [...ids] });
    },

    /** The address if it exists and belongs to `userId`, locked for the rest of the transaction. */
    async findOwnedForUpdate(tx: UsersExecutor, userId: string, id: string): Promise<Address | null> {
      const [row] = await tx
        .select()
        .from(addresses)
        .where(and(eq(addresses.id, id), eq(addresses.userId, userId)))
        .for('update');
      return row ?? null;
    },

    async insert(tx: UsersExecutor, userId: string, fields: AddressFields): Promise<Address> {
      const [row] = await tx
        .insert(addresses)
        .values({ userId, ...fields })
        .returning();
      if (!row) throw new Error('address insert returned no row');
      return row;
    },

    async update(tx: UsersExecutor, userId: string, id: string, fields: AddressFields): Promise<Address | null> {
      const [row] = await tx
        .update(addresses)
        .set({ ...fields, updatedAt: sql`now()` })
        .where(and(eq(addresses.id, id), eq(addresses.userId, userId)))
        .returning();
      return row ?? null;
    },

    /** Deletes the address if it belongs to `userId`; defaults pointing at it are cleared by the foreign key. */
    async delete(tx: UsersExecutor, userId: string, id: string): Promise<boolean> {
      const rows = await tx
        .delete(addresses)
        .where(and(eq(addresses.id, id), eq(addresses.userId, userId)))
        .returning({ id: addresses.id });
      return rows.length > 0;
    },

    /** Account deletion: every address of the user. */
    async deleteByUser(tx: UsersExecutor, userId: string): Promise<void> {
      await tx.delete(addresses).where(eq(addresses.userId, userId));
    },

    async countByUser(tx: UsersExecutor, userId: string): Promise<number> {
      const [row] = await tx.select({ count: sql<number>`count(*)::int` }).from(addresses).where(eq(addresses.userId, userId));
      return row?.count ?? 0;
    },
  };
}
