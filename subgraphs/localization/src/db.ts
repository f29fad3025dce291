import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Sql } from '@meridian/db';

export type LocalizationDb = PostgresJsDatabase;
/** A transaction, or the database itself: repositories accept either. */
export type LocalizationExecutor = LocalizationDb | Parameters<Parameters<LocalizationDb['transaction']>[0]>[0];

export function createLocalizationDb(sql: Sql): LocalizationDb {
  return drizzle({ client: sql });
}
