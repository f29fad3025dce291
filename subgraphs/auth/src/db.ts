import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Sql } from '@meridian/db';

export type AuthDb = PostgresJsDatabase;
/** A transaction, or the database itself: repositories accept either. */
export type AuthExecutor = AuthDb | Parameters<Parameters<AuthDb['transaction']>[0]>[0];

export function createAuthDb(sql: Sql): AuthDb {
  return drizzle({ client: sql });
}
