import { sql, type SQL } from 'drizzle-orm';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Sql } from '@meridian/db';

export type OrdersDb = PostgresJsDatabase;
/** A transaction, or the database itself: repositories accept either. */
export type OrdersExecutor = OrdersDb | Parameters<Parameters<OrdersDb['transaction']>[0]>[0];
export type OrdersTransaction = Parameters<Parameters<OrdersDb['transaction']>[0]>[0];

export function createOrdersDb(sql: Sql): OrdersDb {
  return drizzle({ client: sql });
}

/** A list of ids bound as one `uuid[]` parameter. */
export const uuidArray = (ids: Iterable<string>): SQL => sql`${sql.param([...ids])}::uuid[]`;
