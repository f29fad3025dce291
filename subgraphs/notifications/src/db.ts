import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Sql } from '@meridian/db';

export type NotificationsDb = PostgresJsDatabase;
/** A transaction, or the database itself: repositories accept either. */
export type NotificationsExecutor = NotificationsDb | Parameters<Parameters<NotificationsDb['transaction']>[0]>[0];

export function createNotificationsDb(sql: Sql): NotificationsDb {
  return drizzle({ client: sql });
}
