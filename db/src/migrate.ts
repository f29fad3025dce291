import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { createPool } from './pool.js';

export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

// Any constant shared by every Meridian process: two processes starting together migrate one after the other.
const MIGRATION_LOCK_KEY = 7_242_017;

/**
 * Applies the committed drizzle-kit migrations under an advisory lock. It uses a pool of exactly one
 * connection of its own, so the lock and the migration share a session; call it before the process
 * opens its main pool (the embedded database serves one connection at a time).
 */
export async function migrateDatabase(url: string): Promise<void> {
  const sql = createPool(url, { max: 1, applicationName: 'meridian-migrate' });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await migrate(drizzle({ client: sql }), { migrationsFolder, migrationsSchema: 'drizzle', migrationsTable: '__drizzle_migrations' });
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await sql.end();
  }
}
