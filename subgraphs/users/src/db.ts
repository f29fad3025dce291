import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Sql } from '@meridian/db';

export type UsersDb = PostgresJsDatabase;
/** A transaction, or the database itself: repositories accept either. */
export type UsersExecutor = UsersDb | Parameters<Parameters<UsersDb['transaction']>[0]>[0];

export function createUsersDb(sql: Sql): UsersDb {
  return drizzle({ client: sql });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids from clients are checked before they reach SQL, where a malformed UUID would be an error, not "not found". */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
