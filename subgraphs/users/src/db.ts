import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Sql } from '@meridian/db';

export type UsersDb = PostgresJsDatabase & { $client: Sql };
/** A transaction, or the database itself: repositories accept either. */
export type UsersExecutor = UsersDb | Parameters<Parameters<UsersDb['transaction']>[0]>[0];

export function createUsersDb(sql: Sql): UsersDb {
  return drizzle({ client: sql });
}
