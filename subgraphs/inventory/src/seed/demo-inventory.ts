import type { Sql } from '@meridian/db';
import type { StockLocationRow } from '@meridian/db/inventory';
import { createInventoryDb } from '../db.js';
import { createStockRepository } from '../stock/stock.repository.js';

/** The demo shop's two stock locations; reservations take from `central` first (code order). */
export const DEMO_LOCATIONS = [
  { code: 'central', name: 'Central warehouse' },
  { code: 'store-berlin', name: 'Berlin store' },
] as const;

/**
 * Units of the demo variant at `index` in each demo location, the same on every run: every tenth is
 * sold out, every seventh of the others low (1 to 3 units, at or under the default low-stock threshold),
 * the rest between 10 and 99 in the warehouse and 0 to 11 in the store.
 */
export function demoQuantities(index: number): [central: number, store: number] {
  if (index % 10 === 9) return [0, 0];
  if (index % 7 === 3) return [(index % 3) + 1, 0];
  const hash = Math.imul(index + 1, 2654435761) >>> 0;
  return [10 + (hash % 90), hash % 4 === 0 ? 0 : (hash >>> 8) % 12];
}

const CHUNK = 5_000;

/**
 * The inventory's part of the demo shop (scripts/demo-shop.ts): the two locations and a stock level
 * for every demo variant in each, received through the ledger so that it rebuilds them. Leaves an
 * inventory that has any location already alone.
 */
export async function seedDemoInventory(sql: Sql, variantIds: readonly string[]): Promise<{ seeded: boolean; levels: number }> {
  const db = createInventoryDb(sql);
  const stock = createStockRepository({ db });
  if ((await stock.locations()).length > 0) return { seeded: false, levels: 0 };
  const levels = await db.transaction(async (tx) => {
    const locations: StockLocationRow[] = [];
    for (const location of DEMO_LOCATIONS) {
      const row = await stock.insertLocation(tx, location);
      if (!row) throw new Error(`the demo location ${location.code} exists already`);
      locations.push(row);
    }
    const rows = variantIds.flatMap((variantId, index) => demoQuantities(index).map((quantity, at) => ({ variantId, locationId: locations[at]!.id, quantity })));
    let created = 0;
    for (let start = 0; start < rows.length; start += CHUNK) created += await stock.receiveIntoNewLevels(tx, rows.slice(start, start + CHUNK));
    return created;
  });
  return { seeded: true, levels };
}
