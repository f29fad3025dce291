import { sql } from 'drizzle-orm';
import { outbox } from '@meridian/db/orders';
import type { OrdersDb } from '../db.js';

export type OrderEventsRepository = ReturnType<typeof createOrderEventsRepository>;

export interface OutboxEvent {
  id: string;
  xid: string;
  orderId: string;
  type: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** The orders outbox, read as a feed in (transaction, id) order. */
export function createOrderEventsRepository({ db }: { db: OrdersDb }) {
  return {
    /**
     * The oldest transaction still running (`pg_snapshot_xmin`): every event not visible yet was or will be
     * written by it or a later one, so its id is at or above this.
     */
    async horizon(): Promise<string> {
      const [row] = await db.execute<{ horizon: string }>(sql`select pg_snapshot_xmin(pg_current_snapshot())::text as horizon`);
      return row!.horizon;
    },

    /** Events written by transaction `from` or later, in (transaction, id) order, after `afterKey`. */
    async eventsFrom(from: string, afterKey: { xid: string; id: string } | null, limit: number): Promise<OutboxEvent[]> {
      const rows = await db.execute<{ id: string; xid: string; order_id: string; type: string; payload: Record<string, unknown>; created_at: string | Date }>(sql`
        select id, recorded_xid::text as xid, order_id, type, payload, created_at from ${outbox}
        where recorded_xid >= ${from}::xid8
        ${afterKey === null ? sql`` : sql`and (recorded_xid, id) > (${afterKey.xid}::xid8, ${afterKey.id}::uuid)`}
        order by recorded_xid, id limit ${limit}`);
      return rows.map((row) => ({ id: row.id, xid: row.xid, orderId: row.order_id, type: row.type, payload: row.payload, createdAt: new Date(row.created_at) }));
    },
  };
}
