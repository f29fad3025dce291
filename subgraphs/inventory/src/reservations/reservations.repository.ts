import { eq, sql } from 'drizzle-orm';
import { reservationLines, reservations, type ReservationLineRow } from '@meridian/db/inventory';
import { uuidArray, type InventoryDb, type InventoryExecutor, type InventoryTransaction } from '../db.js';
import type { Allocation, StoredStatus } from './reservation.rules.js';

export type ReservationsRepository = ReturnType<typeof createReservationsRepository>;

/** A stored reservation with its lines, and the database's clock when it was read. */
export interface StoredReservation {
  id: string;
  status: StoredStatus;
  expiresAt: Date;
  lines: Pick<ReservationLineRow, 'variantId' | 'locationId' | 'quantity'>[];
  readAt: Date;
}

export function createReservationsRepository({ db }: { db: InventoryDb }) {
  async function linesOf(tx: InventoryExecutor, ids: readonly string[]) {
    if (ids.length === 0) return [];
    return tx
      .select({ reservationId: reservationLines.reservationId, variantId: reservationLines.variantId, locationId: reservationLines.locationId, quantity: reservationLines.quantity })
      .from(reservationLines)
      .where(sql`${reservationLines.reservationId} = any(${uuidArray(ids)})`)
      .orderBy(reservationLines.variantId, reservationLines.locationId);
  }

  async function find(tx: InventoryExecutor, id: string, lock: boolean): Promise<StoredReservation | null> {
    const query = tx
      .select({ id: reservations.id, status: reservations.status, expiresAt: reservations.expiresAt, readAt: sql<Date>`now()`.mapWith((value: string) => new Date(value)) })
      .from(reservations)
      .where(eq(reservations.id, id));
    const [row] = lock ? await query.for('update') : await query;
    if (!row) return null;
    return { ...row, status: row.status as StoredStatus, lines: await linesOf(tx, [id]) };
  }

  return {
    linesOf,

    /** The reservation and its lines, or null. */
    find: (id: string) => find(db, id, false),

    /** The reservation and its lines, locked until the transaction ends (waits for a concurrent release or commit). */
    findForUpdate: (tx: InventoryTransaction, id: string) => find(tx, id, true),

    async insert(tx: InventoryTransaction, ttlSeconds: number, allocations: readonly Allocation[]): Promise<StoredReservation> {
      const [row] = await tx
        .insert(reservations)
        .values({ expiresAt: sql`now() + make_interval(secs => ${ttlSeconds})` })
        .returning({ id: reservations.id, status: reservations.status, expiresAt: reservations.expiresAt, readAt: sql<Date>`now()`.mapWith((value: string) => new Date(value)) });
      if (!row) throw new Error('reservation insert returned no row');
      const lines = allocations.map((allocation) => ({ reservationId: row.id, ...allocation }));
      await tx.insert(reservationLines).values(lines);
      return { ...row, status: 'active', lines: allocations.map(({ variantId, locationId, quantity }) => ({ variantId, locationId, quantity })) };
    },

    /**
     * Marks active reservations whose time is up as expired, at most `limit` of them, and returns their
     * ids: those touching `variantIds`, or any when it is null. Reservations another transaction holds
     * (being released or committed) are skipped, not waited for.
     */
    async claimExpired(tx: InventoryTransaction, variantIds: readonly string[] | null, limit: number): Promise<string[]> {
      const touching = variantIds
        ? sql`and exists (select 1 from ${reservationLines} rl where rl.reservation_id = r.id and rl.variant_id = any(${uuidArray(variantIds)}))`
        : sql``;
      const rows = await tx.execute<{ id: string }>(sql`
        update ${reservations} set status = 'expired', updated_at = now()
        where id in (
          select r.id from ${reservations} r
          where r.status = 'active' and r.expires_at <= now() ${touching}
          order by r.id limit ${limit}
          for update skip locked
        )
        returning id`);
      return rows.map((row) => row.id);
    },

    async setStatus(tx: InventoryTransaction, id: string, status: StoredStatus): Promise<void> {
      await tx.update(reservations).set({ status, updatedAt: sql`now()` }).where(eq(reservations.id, id));
    },
  };
}
