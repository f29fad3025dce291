import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Sql } from '@meridian/db';

export type PaymentsDb = PostgresJsDatabase;
/** A transaction, or the database itself: repositories accept either. */
export type PaymentsExecutor = PaymentsDb | Parameters<Parameters<PaymentsDb['transaction']>[0]>[0];

export function createPaymentsDb(sql: Sql): PaymentsDb {
  return drizzle({ client: sql });
}
