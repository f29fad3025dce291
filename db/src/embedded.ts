import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { lockDataDirectory } from './data-dir.lock.js';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL compiled to WebAssembly, persisted in `dataDir`, served over the wire protocol on
 * 127.0.0.1 so the services use postgres.js exactly as with a real server. It serves a single
 * connection (transactions are only safe that way), so the pool using it must have `max: 1`.
 * One process at a time may open `dataDir`: a second start throws `DataDirectoryInUseError` before
 * touching it.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port?: number }): Promise<EmbeddedPostgres> {
  const lock = await lockDataDirectory(options.dataDir);
  try {
    await mkdir(options.dataDir, { recursive: true });
    // pg_trgm: the catalog's typo-tolerant search (migration 0006).
    const db = await PGlite.create({ dataDir: options.dataDir, extensions: { pg_trgm } });
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: options.port ?? 0, maxConnections: 1 });
    await server.start().catch(async (error: unknown) => {
      await db.close();
      throw error;
    });
    const port = new URL(`postgres://${server.getServerConn()}`).port;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      stop: async () => {
        await server.stop();
        await db.close();
        await lock.release();
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
