import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Sql } from '@meridian/db';

export type CatalogDb = PostgresJsDatabase;
/** A transaction, or the database itself: repositories accept either. */
export type CatalogExecutor = CatalogDb | Parameters<Parameters<CatalogDb['transaction']>[0]>[0];

export function createCatalogDb(sql: Sql): CatalogDb {
  return drizzle({ client: sql });
}
