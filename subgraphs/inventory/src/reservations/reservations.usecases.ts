import { isUuid, validationFailed } from '@meridian/platform';
import type { InventoryDb, InventoryTransaction } from '../db.js';
import { outOfStock, reservationClosed, reservationNotFound } from '../inventory.errors.js';
import type { LockedLevel, LockLevelsReleasingExpired } from '../stock/stock.model.js';
import type { StockRepository } from '../stock/stock.repository.js';
import { allocate, effectiveStatus, readReserveRequest, type RequestedLine } from './reservation.rules.js';
import type { Reservation, ReservationLine } from './reservations.model.js';
import type { ReservationsRepository, StoredReservation } from './reservations.repository.js';

export type ReservationUseCases = ReturnType<typeof createReservationUseCases>;

/** Expired reservations released per transaction, by the job and before a reservation. */
const EXPIRED_BATCH = 200;

const variantsOf = (stored: StoredReservation): string[] => stored.lines.map((line) => line.variantId);

const toReservation = (stored: StoredReservation): Reservation => ({
  id: stored.id,
  status: effectiveStatus(stored.status, stored.expiresAt, stored.readAt),
  expiresAt: stored.expiresAt,
  lines: stored.lines,
});

/** The levels and the reservations disagree (a bug, or a change outside the service): thrown, so nothing of the transaction is kept. */
class InconsistentLevelsError extends Error {
  override name = 'InconsistentLevelsError';
}

export function createReservationUseCases(deps: { db: InventoryDb; stock: StockRepository; reservations: ReservationsRepository; defaultTtlSeconds: number }) {
  const { db, stock, reservations } = deps;

  /** Gives the units of these lines back to their (locked) levels, recording `released` movements. */
  async function giveBack(tx: InventoryTransaction, lines: readonly (ReservationLine & { reservationId: string })[]): Promise<void> {
    const applied = await stock.apply(
      tx,
      lines.map((line) => ({ variantId: line.variantId, locationId: line.locationId, kind: 'released' as const, quantity: line.quantity, reservationId: line.reservationId })),
    );
    if (applied !== lines.length) throw new InconsistentLevelsError('a reservation holds units its levels do not count as reserved');
  }

  /** Releases these reservations (already marked expired) in one lock order. */
  async function releaseClaimed(tx: InventoryTransaction, ids: readonly string[], alsoLock: readonly string[] = []): Promise<LockedLevel[]> {
    const lines = await reservations.linesOf(tx, ids);
    const levels = await stock.lockLevels(tx, [...alsoLock, ...lines.map((line) => line.variantId)]);
    await giveBack(tx, lines);
    for (const line of lines) {
      const level = levels.find((candidate) => candidate.variantId === line.variantId && candidate.locationId === line.locationId);
      if (level) level.reserved -= line.quantity;
    }
    return levels;
  }

  const lockLevelsReleasingExpired: LockLevelsReleasingExpired = async (tx, variantIds) =>
    releaseClaimed(tx, await reservations.claimExpired(tx, variantIds, EXPIRED_BATCH), variantIds);

  /** Gives an active reservation's units back and closes it as `status`. */
  async function close(tx: InventoryTransaction, stored: StoredReservation, status: 'released' | 'expired'): Promise<void> {
    await stock.lockLevels(tx, variantsOf(stored));
    await giveBack(tx, stored.lines.map((line) => ({ ...line, reservationId: stored.id })));
    await reservations.setStatus(tx, stored.id, status);
  }

  return {
    lockLevelsReleasingExpired,

    async find(id: string): Promise<Reservation | null> {
      if (!isUuid(id)) return null;
      const stored = await reservations.find(id);
      return stored ? toReservation(stored) : null;
    },

    /**
     * Holds units of every line for `ttl` seconds, or none. The levels of every variant asked for are
     * locked (in variant order, so concurrent reservations queue instead of deadlocking), the units are
     * allocated from what they hold, and each level changes only if `on_hand - reserved >= quantity`
     * still holds (and a CHECK constraint stands behind that): no interleaving can oversell.
     */
    async reserve(lines: readonly RequestedLine[], ttl: number | null | undefined) {
      const request = readReserveRequest(lines, ttl, deps.defaultTtlSeconds);
      if (!request.ok) return validationFailed(request.violations);
      const { lines: wanted, ttlSeconds } = request.value;
      return db.transaction(async (tx) => {
        const levels = await lockLevelsReleasingExpired(tx, wanted.map((line) => line.variantId));
        const outcome = allocate(wanted, levels);
        if (!outcome.ok) return outOfStock(outcome.shortages);
        const stored = await reservations.insert(tx, ttlSeconds, outcome.allocations);
        const applied = await stock.apply(tx, outcome.allocations.map((allocation) => ({ ...allocation, kind: 'reserved' as const, reservationId: stored.id })));
        if (applied !== outcome.allocations.length) throw new InconsistentLevelsError('a locked level changed under its lock');
        return { __typename: 'Reservation' as const, ...toReservation(stored) };
      });
    },

    /** Gives the units back. Idempotent: a released (or expired) reservation answers the same again. */
    async release(id: string) {
      if (!isUuid(id)) return reservationNotFound();
      return db.transaction(async (tx) => {
        const stored = await reservations.findForUpdate(tx, id);
        if (!stored) return reservationNotFound();
        const status = effectiveStatus(stored.status, stored.expiresAt, stored.readAt);
        if (status === 'COMMITTED') return reservationClosed(status);
        if (stored.status === 'active') await close(tx, stored, status === 'EXPIRED' ? 'expired' : 'released');
        const reservation = toReservation({ ...stored, status: status === 'EXPIRED' ? 'expired' : 'released' });
        return { __typename: 'ReservationReleased' as const, reservation };
      });
    },

    /** Takes the units out of the stock (`shipped`). Idempotent: a committed reservation answers the same again. */
    async commit(id: string) {
      if (!isUuid(id)) return reservationNotFound();
      return db.transaction(async (tx) => {
        const stored = await reservations.findForUpdate(tx, id);
        if (!stored) return reservationNotFound();
        const status = effectiveStatus(stored.status, stored.expiresAt, stored.readAt);
        if (status === 'COMMITTED') return { __typename: 'ReservationCommitted' as const, reservation: toReservation(stored) };
        if (status === 'RELEASED') return reservationClosed(status);
        if (status === 'EXPIRED') {
          if (stored.status === 'active') await close(tx, stored, 'expired');
          return reservationClosed(status);
        }
        await stock.lockLevels(tx, variantsOf(stored));
        const applied = await stock.apply(tx, stored.lines.map((line) => ({ ...line, kind: 'shipped' as const, reservationId: stored.id })));
        if (applied !== stored.lines.length) throw new InconsistentLevelsError('a reservation holds units its levels do not count as reserved');
        await reservations.setStatus(tx, stored.id, 'committed');
        return { __typename: 'ReservationCommitted' as const, reservation: toReservation({ ...stored, status: 'committed' }) };
      });
    },

    /** Releases every reservation whose time is up, in batches; returns how many (the job; tests). */
    async releaseExpired(): Promise<number> {
      let released = 0;
      for (;;) {
        const batch = await db.transaction(async (tx) => {
          const ids = await reservations.claimExpired(tx, null, EXPIRED_BATCH);
          await releaseClaimed(tx, ids);
          return ids.length;
        });
        released += batch;
        if (batch < EXPIRED_BATCH) return released;
      }
    },
  };
}
