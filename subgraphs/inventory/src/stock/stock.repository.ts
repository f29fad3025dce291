import { asc, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { reservationLines, reservations, stockLevels, stockLocations, stockMovements, type StockLocationRow } from '@meridian/db/inventory';
import { uuidArray, type InventoryDb, type InventoryExecutor, type InventoryTransaction } from '../db.js';
import type { LedgerMismatch, LockedLevel, Movement, StockLevel } from './stock.model.js';
import { movementDelta } from './stock.rules.js';

export type StockRepository = ReturnType<typeof createStockRepository>;

type LevelRow = { variant_id: string; location_id: string; on_hand: number; reserved: number } & Record<string, unknown>;

/** A movement's place in the feed: the transaction that wrote it, then its id. */
export interface MovementKey {
  xid: string;
  id: string;
}

const toLevel = (row: LevelRow): StockLevel => ({ variantId: row.variant_id, locationId: row.location_id, onHand: row.on_hand, reserved: row.reserved });

export function createStockRepository({ db }: { db: InventoryDb }) {
  return {
    async locations(): Promise<StockLocationRow[]> {
      return db.select().from(stockLocations).orderBy(asc(stockLocations.code));
    },

    async locationsByIds(ids: readonly string[]): Promise<StockLocationRow[]> {
      return db
        .select()
        .from(stockLocations)
        .where(sql`${stockLocations.id} = any(${uuidArray(ids)})`);
    },

    async findLocation(tx: InventoryExecutor, id: string): Promise<StockLocationRow | null> {
      const [row] = await tx.select().from(stockLocations).where(eq(stockLocations.id, id));
      return row ?? null;
    },

    /** The new location, or null when its code is taken. */
    async insertLocation(tx: InventoryExecutor, location: { code: string; name: string }): Promise<StockLocationRow | null> {
      const [row] = await tx.insert(stockLocations).values(location).onConflictDoNothing({ target: stockLocations.code }).returning();
      return row ?? null;
    },

    /**
     * Every level of these variants in one statement, `reserved` without the units of reservations
     * whose time is up but that the release job has not released yet: they no longer count.
     */
    async levelsOf(variantIds: readonly string[]): Promise<StockLevel[]> {
      const rows = await db.execute<LevelRow>(sql`
        select l.variant_id, l.location_id, l.on_hand,
          l.reserved - coalesce((
            select sum(rl.quantity) from ${reservationLines} rl join ${reservations} r on r.id = rl.reservation_id
            where rl.variant_id = l.variant_id and rl.location_id = l.location_id and r.status = 'active' and r.expires_at <= now()
          ), 0)::int as reserved
        from ${stockLevels} l
        join ${stockLocations} s on s.id = l.location_id
        where l.variant_id = any(${uuidArray(variantIds)})
        order by l.variant_id, s.code`);
      return rows.map(toLevel);
    },

    /**
     * The oldest transaction still running (`pg_snapshot_xmin`): every movement not visible yet was or
     * will be written by it or a later one, so its id is at or above this.
     */
    async horizon(): Promise<string> {
      const [row] = await db.execute<{ horizon: string }>(sql`select pg_snapshot_xmin(pg_current_snapshot())::text as horizon`);
      return row!.horizon;
    },

    /** Variants that have a stock level, in id order, after `afterVariant`. */
    async variantsWithLevels(afterVariant: string | null, limit: number): Promise<string[]> {
      const rows = await db.execute<{ variant_id: string }>(sql`
        select distinct variant_id from ${stockLevels}
        ${afterVariant === null ? sql`` : sql`where variant_id > ${afterVariant}::uuid`}
        order by variant_id limit ${limit}`);
      return rows.map((row) => row.variant_id);
    },

    /** Movements written by transaction `from` or later, in (transaction, id) order, after `afterKey`. */
    async movementsFrom(from: string, afterKey: MovementKey | null, limit: number): Promise<(MovementKey & { variantId: string })[]> {
      const rows = await db.execute<{ variant_id: string; xid: string; id: string }>(sql`
        select variant_id, recorded_xid::text as xid, id from ${stockMovements}
        where recorded_xid >= ${from}::xid8
        ${afterKey === null ? sql`` : sql`and (recorded_xid, id) > (${afterKey.xid}::xid8, ${afterKey.id}::uuid)`}
        order by recorded_xid, id limit ${limit}`);
      return rows.map((row) => ({ variantId: row.variant_id, xid: row.xid, id: row.id }));
    },

    /** Creates the level at 0 on hand if there is none yet. */
    async ensureLevel(tx: InventoryExecutor, variantId: string, locationId: string): Promise<void> {
      await tx.insert(stockLevels).values({ variantId, locationId }).onConflictDoNothing();
    },

    /**
     * Locks every level of these variants, always in (variant, location) order: every transaction that
     * changes levels locks them through here, so two of them never wait for each other in a cycle.
     */
    async lockLevels(tx: InventoryTransaction, variantIds: readonly string[]): Promise<LockedLevel[]> {
      if (variantIds.length === 0) return [];
      const rows = await tx.execute<LevelRow & { location_code: string }>(sql`
        select l.variant_id, l.location_id, s.code as location_code, l.on_hand, l.reserved
        from ${stockLevels} l join ${stockLocations} s on s.id = l.location_id
        where l.variant_id = any(${uuidArray(new Set(variantIds))})
        order by l.variant_id, l.location_id
        for no key update of l`);
      return rows.map((row) => ({ ...toLevel(row), locationCode: row.location_code }));
    },

    /**
     * Applies movements to their levels and appends them to the ledger, in one statement. A level
     * changes only if it stays consistent (`on_hand - reserved` never below 0, so a reservation needs
     * `on_hand - reserved >= quantity`): returns how many movements were applied, the caller rolls
     * back when that is fewer than it sent.
     */
    async apply(tx: InventoryTransaction, movements: readonly Movement[]): Promise<number> {
      if (movements.length === 0) return 0;
      const values = movements.map((movement) => {
        const delta = movementDelta(movement.kind, movement.quantity);
        return sql`(${uuidv7()}::uuid, ${movement.variantId}::uuid, ${movement.locationId}::uuid, ${movement.kind}::text, ${delta.onHand}::int, ${delta.reserved}::int, ${movement.reservationId ?? null}::uuid, ${movement.note ?? null}::text)`;
      });
      const [result] = await tx.execute<{ applied: number }>(sql`
        with m (id, variant_id, location_id, kind, on_hand_delta, reserved_delta, reservation_id, note) as (values ${sql.join(values, sql`, `)}),
        totals as (
          select variant_id, location_id, sum(on_hand_delta)::int as on_hand_delta, sum(reserved_delta)::int as reserved_delta from m group by variant_id, location_id
        ),
        changed as (
          update ${stockLevels} l
          set on_hand = l.on_hand + t.on_hand_delta, reserved = l.reserved + t.reserved_delta, updated_at = now()
          from totals t
          where l.variant_id = t.variant_id and l.location_id = t.location_id
            and l.reserved + t.reserved_delta >= 0 and l.on_hand + t.on_hand_delta >= l.reserved + t.reserved_delta
          returning l.variant_id, l.location_id
        ),
        recorded as (
          insert into ${stockMovements} (id, variant_id, location_id, kind, on_hand_delta, reserved_delta, reservation_id, note)
          select m.id, m.variant_id, m.location_id, m.kind, m.on_hand_delta, m.reserved_delta, m.reservation_id, m.note
          from m join changed c on c.variant_id = m.variant_id and c.location_id = m.location_id
          returning 1
        )
        select count(*)::int as applied from recorded`);
      return result?.applied ?? 0;
    },

    /**
     * Creates levels that do not exist yet with units received, and records each receipt, in one
     * statement (the demo shop's thousands of levels). Levels that exist already are left alone.
     */
    async receiveIntoNewLevels(tx: InventoryTransaction, rows: readonly { variantId: string; locationId: string; quantity: number }[]): Promise<number> {
      if (rows.length === 0) return 0;
      const [result] = await tx.execute<{ created: number }>(sql`
        with m (id, variant_id, location_id, quantity) as (
          select * from unnest(${uuidArray(rows.map(() => uuidv7()))}, ${uuidArray(rows.map((row) => row.variantId))}, ${uuidArray(rows.map((row) => row.locationId))}, ${sql.param(rows.map((row) => row.quantity))}::int[])
        ),
        created as (
          insert into ${stockLevels} (variant_id, location_id, on_hand) select variant_id, location_id, quantity from m
          on conflict do nothing
          returning variant_id, location_id
        ),
        recorded as (
          insert into ${stockMovements} (id, variant_id, location_id, kind, on_hand_delta, reserved_delta, note)
          select m.id, m.variant_id, m.location_id, 'received', m.quantity, 0, 'demo shop'
          from m join created c on c.variant_id = m.variant_id and c.location_id = m.location_id
          where m.quantity > 0
        )
        select count(*)::int as created from created`);
      return result?.created ?? 0;
    },

    /** Every level's quantities as the ledger adds them up, compared with those stored: the levels that differ. */
    async ledgerMismatches(tx: InventoryExecutor = db): Promise<LedgerMismatch[]> {
      const rows = await tx.execute<{ variant_id: string; location_id: string; on_hand: number | null; reserved: number | null; ledger_on_hand: number | null; ledger_reserved: number | null }>(sql`
        with ledger as (
          select variant_id, location_id, sum(on_hand_delta)::int as on_hand, sum(reserved_delta)::int as reserved
          from ${stockMovements} group by variant_id, location_id
        )
        select coalesce(l.variant_id, g.variant_id) as variant_id, coalesce(l.location_id, g.location_id) as location_id,
          l.on_hand, l.reserved, g.on_hand as ledger_on_hand, g.reserved as ledger_reserved
        from ${stockLevels} l full join ledger g on g.variant_id = l.variant_id and g.location_id = l.location_id
        where coalesce(l.on_hand, 0) <> coalesce(g.on_hand, 0) or coalesce(l.reserved, 0) <> coalesce(g.reserved, 0)
        order by 1, 2`);
      return rows.map((row) => ({
        variantId: row.variant_id,
        locationId: row.location_id,
        stored: { onHand: row.on_hand ?? 0, reserved: row.reserved ?? 0 },
        ledger: { onHand: row.ledger_on_hand ?? 0, reserved: row.ledger_reserved ?? 0 },
      }));
    },

    /** Sets every level to what its ledger adds up to (after a restore, or a bug): returns how many levels changed. */
    async rebuildFromLedger(tx: InventoryTransaction): Promise<number> {
      // No level may change while it is rebuilt: reservations and receipts wait for the end of the transaction.
      await tx.execute(sql`lock table ${stockLevels} in exclusive mode`);
      const [result] = await tx.execute<{ changed: number }>(sql`
        with ledger as (
          select variant_id, location_id, sum(on_hand_delta)::int as on_hand, sum(reserved_delta)::int as reserved
          from ${stockMovements} group by variant_id, location_id
        ),
        rebuilt as (
          update ${stockLevels} l set on_hand = coalesce(g.on_hand, 0), reserved = coalesce(g.reserved, 0), updated_at = now()
          from ${stockLevels} x left join ledger g on g.variant_id = x.variant_id and g.location_id = x.location_id
          where x.variant_id = l.variant_id and x.location_id = l.location_id
            and (l.on_hand <> coalesce(g.on_hand, 0) or l.reserved <> coalesce(g.reserved, 0))
          returning 1
        )
        select count(*)::int as changed from rebuilt`);
      return result?.changed ?? 0;
    },
  };
}
