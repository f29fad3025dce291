import { sql, type SQL } from 'drizzle-orm';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Sql } from '@meridian/db';

export type CartDb = PostgresJsDatabase;
/** A transaction, or the database itself: repositories accept either. */
export type CartExecutor = CartDb | Parameters<Parameters<CartDb['transaction']>[0]>[0];
/** A transaction: what takes row locks must run in one. */
export type CartTransaction = Parameters<Parameters<CartDb['transaction']>[0]>[0];

export function createCartDb(sql: Sql): CartDb {
  return drizzle({ client: sql });
}

/** A list of ids bound as one `uuid[]` parameter (drizzle would otherwise spread an array into a row of parameters). */
export const uuidArray = (ids: Iterable<string>): SQL => sql`${sql.param([...ids])}::uuid[]`;
