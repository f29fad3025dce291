import { sql } from 'drizzle-orm';
import type { CatalogDb } from '../db.js';

export type AvailabilityRepository = ReturnType<typeof createAvailabilityRepository>;

export interface AvailabilityChange {
  variantId: string;
  inStock: boolean;
}

export function createAvailabilityRepository({ db }: { db: CatalogDb }) {
  return {
    /** How far the feed has been read, or null when it never was. */
    async position(feed: string): Promise<string | null> {
      const [row] = await db.execute<{ position: string }>(sql`select position from catalog.feed_positions where feed = ${feed}`);
      return row?.position ?? null;
    },

    /** Records the changes and the position after them together, so a restart reads on from exactly there. */
    async apply(feed: string, changes: readonly AvailabilityChange[], position: string): Promise<void> {
      await db.transaction(async (tx) => {
        if (changes.length > 0) {
          await tx.execute(sql`
            insert into catalog.variant_stock as s (variant_id, in_stock)
            select * from unnest(${sql.param(changes.map((change) => change.variantId))}::uuid[], ${sql.param(changes.map((change) => String(change.inStock)))}::text[]::boolean[])
            on conflict (variant_id) do update set in_stock = excluded.in_stock, updated_at = now()
            where s.in_stock is distinct from excluded.in_stock`);
        }
        await tx.execute(sql`
          insert into catalog.feed_positions (feed, position) values (${feed}, ${position})
          on conflict (feed) do update set position = excluded.position, updated_at = now()`);
      });
    },

    /** Forgets the position (the feed refused it): the next read starts from the beginning. */
    async forget(feed: string): Promise<void> {
      await db.execute(sql`delete from catalog.feed_positions where feed = ${feed}`);
    },
  };
}
