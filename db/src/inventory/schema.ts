import { sql } from 'drizzle-orm';
import { check, customType, foreignKey, index, integer, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, updatedAt } from '../columns.js';

export const inventorySchema = pgSchema('inventory');

/** A PostgreSQL 64-bit transaction id (`pg_current_xact_id()`), as text. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/** A warehouse or shop the stock is kept in; reservations take from locations in `code` order. */
export const stockLocations = inventorySchema.table(
  'stock_locations',
  {
    id: idColumn(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex('stock_locations_code').on(table.code)],
);

/**
 * How many units of a variant a location holds (`on_hand`) and how many of those are held by
 * reservations that were not released yet (`reserved`). Derived: the movements ledger rebuilds it.
 * Variants belong to the catalog service; their ids are kept here without a foreign key.
 */
export const stockLevels = inventorySchema.table(
  'stock_levels',
  {
    variantId: uuid('variant_id').notNull(),
    locationId: uuid('location_id')
      .notNull()
      .references(() => stockLocations.id),
    onHand: integer('on_hand').notNull().default(0),
    reserved: integer('reserved').notNull().default(0),
    updatedAt: updatedAt(),
  },
  (table) => [
    primaryKey({ columns: [table.variantId, table.locationId] }),
    // The last guard against overselling: whatever the code does, no level holds more reserved than on hand.
    check('stock_levels_quantities', sql`${table.onHand} >= 0 and ${table.reserved} >= 0 and ${table.reserved} <= ${table.onHand}`),
  ],
);

/** A reservation's state: `active` until released, committed (shipped) or expired. */
export const reservations = inventorySchema.table(
  'reservations',
  {
    id: idColumn(),
    status: text('status').notNull().default('active'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    check('reservations_status', sql`${table.status} in ('active', 'released', 'committed', 'expired')`),
    index('reservations_active_expiry').on(table.expiresAt).where(sql`${table.status} = 'active'`),
  ],
);

/** The units one reservation holds at one location. */
export const reservationLines = inventorySchema.table(
  'reservation_lines',
  {
    reservationId: uuid('reservation_id')
      .notNull()
      .references(() => reservations.id, { onDelete: 'cascade' }),
    variantId: uuid('variant_id').notNull(),
    locationId: uuid('location_id').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.reservationId, table.variantId, table.locationId] }),
    foreignKey({ columns: [table.variantId, table.locationId], foreignColumns: [stockLevels.variantId, stockLevels.locationId], name: 'reservation_lines_level_fk' }),
    index('reservation_lines_variant').on(table.variantId),
    check('reservation_lines_quantity', sql`${table.quantity} > 0`),
  ],
);

/**
 * The append-only ledger: every change of a level, with its effect on `on_hand` and `reserved`.
 * Summing the deltas per variant and location gives the levels (`stock_levels`) back.
 */
export const stockMovements = inventorySchema.table(
  'stock_movements',
  {
    id: idColumn(),
    variantId: uuid('variant_id').notNull(),
    locationId: uuid('location_id').notNull(),
    /** `received`, `adjusted`, `reserved`, `released` or `shipped`. */
    kind: text('kind').notNull(),
    onHandDelta: integer('on_hand_delta').notNull(),
    reservedDelta: integer('reserved_delta').notNull(),
    reservationId: uuid('reservation_id'),
    note: text('note'),
    /**
     * The transaction that wrote the movement: the `availabilityChanges` feed reads the ledger from the
     * oldest transaction still running at its last read, so a movement that commits late is not missed.
     */
    recordedXid: xid8('recorded_xid').notNull().default(sql`pg_current_xact_id()`),
    createdAt: createdAt(),
  },
  (table) => [
    foreignKey({ columns: [table.variantId, table.locationId], foreignColumns: [stockLevels.variantId, stockLevels.locationId], name: 'stock_movements_level_fk' }),
    index('stock_movements_level').on(table.variantId, table.locationId),
    index('stock_movements_recorded').on(table.recordedXid, table.id),
    check('stock_movements_kind', sql`${table.kind} in ('received', 'adjusted', 'reserved', 'released', 'shipped')`),
  ],
);

export type StockLocationRow = typeof stockLocations.$inferSelect;
export type StockLevelRow = typeof stockLevels.$inferSelect;
export type ReservationRow = typeof reservations.$inferSelect;
export type ReservationLineRow = typeof reservationLines.$inferSelect;
export type StockMovementRow = typeof stockMovements.$inferSelect;
