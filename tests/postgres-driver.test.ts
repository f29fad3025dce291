// The pinned fix of postgres.js 3.4.9 (patches/postgres@3.4.9.patch; upstream porsager/postgres#1154,
// #1208): a connection that closes under a transaction or a buffered write must cost the queries in
// flight a CONNECTION_CLOSED error, never an uncatchable TypeError from a timer, a stuck connection,
// or a statement of a dead transaction run outside it on the reconnected socket.
import { connect, type Socket } from 'node:net';
import postgres, { type Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';

let database: TestDatabase;
let admin: Sql;
const pools: Sql[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  admin = postgres(database.url, { max: 1, onnotice: () => {} });
  await admin`create table writes (id int primary key)`;
});

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end({ timeout: 1 })));
  await admin?.end();
  await database?.drop();
});

// `socket` (a factory of already connected sockets) is a documented option that the typings lack.
type PoolOptions = postgres.Options<Record<string, postgres.PostgresType>> & { socket?: () => Promise<Socket> };

function pool(options: PoolOptions = {}): Sql {
  const sql = postgres(database.url, { max: 1, onnotice: () => {}, connect_timeout: 2, ...options } as postgres.Options<Record<string, postgres.PostgresType>>);
  pools.push(sql);
  return sql;
}

const terminate = (pid: number) => admin`select pg_terminate_backend(${pid})`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('postgres.js when a connection closes under it', () => {
  it('rejects what a transaction sends after its connection closed, and keeps the process alive', async () => {
    const sql = pool();
    const late: string[] = [];
    const outcome = sql
      .begin(async (tx) => {
        const [row] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
        await terminate(row!.pid);
        await sleep(100);
        // Unpatched, this write is scheduled on a connection whose socket is gone: a TypeError from
        // setImmediate kills the process (no handler can catch it).
        await tx`select 1`.catch((error: { code?: string }) => late.push(error.code ?? 'unknown'));
      })
      .then(
        () => 'committed',
        (error: { code?: string }) => error.code,
      );
    expect(await outcome).toBe('CONNECTION_CLOSED');
    await eventually(async () => expect(late).toEqual(['CONNECTION_CLOSED']));
    await sleep(50);
    expect(await sql`select 2 as two`).toEqual([{ two: 2 }]);
  });

  it('never runs a statement of a dead transaction outside it, on the reconnected connection', async () => {
    const sql = pool();
    let lateInsert: Promise<string> | undefined;
    const outcome = await sql
      .begin(async (tx) => {
        const [row] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
        await tx`insert into writes values (1)`;
        await terminate(row!.pid);
        await sleep(100);
        // Someone else's query reconnects the same (only) connection meanwhile.
        await sql`select 1`;
        lateInsert = tx`insert into writes values (2)`.then(
          () => 'inserted',
          (error: { code?: string }) => error.code ?? 'unknown',
        );
        await lateInsert;
      })
      .then(
        () => 'committed',
        (error: { code?: string }) => error.code,
      );
    expect(outcome).toBe('CONNECTION_CLOSED');
    await eventually(async () => expect(lateInsert).toBeDefined());
    // Unpatched, the insert runs in autocommit on the new session: half a transaction is kept.
    expect(await lateInsert).toBe('CONNECTION_CLOSED');
    expect(await admin`select id from writes order by id`).toEqual([]);
  });

  it('drops a write buffered for a socket that closed, so the connection works again', async () => {
    const sockets: Socket[] = [];
    const url = new URL(database.url);
    const sql = pool({
      socket: () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect(Number(url.port), url.hostname);
          sockets.push(socket);
          socket.once('connect', () => resolve(socket)).once('error', reject);
        }),
    });
    await sql`select 1`;
    const inFlight = sql`select 1`.execute().catch((error: { code?: string }) => error.code);
    // The query waits in the write buffer for a setImmediate, and the socket reports its close
    // before that runs (as when several connections drop in one turn of the event loop).
    await Promise.resolve();
    await Promise.resolve();
    const socket = sockets.at(-1)!;
    socket.emit('close', false);
    socket.destroy();
    expect(await inFlight).toBe('CONNECTION_CLOSED');
    // Unpatched, the cleared-but-not-reset write timer blocks every later write: the start-up
    // message of the next socket is never sent and the connection times out forever.
    expect(await sql`select 3 as three`).toEqual([{ three: 3 }]);
  });

  it('answers the waiting query when a new connection fails while it reads the array types', async () => {
    const url = new URL(database.url);
    let breakOnTypeQuery = true;
    const sql = pool({
      fetch_types: true,
      socket: () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect(Number(url.port), url.hostname);
          const write = socket.write.bind(socket) as (chunk: Buffer, callback?: () => void) => boolean;
          socket.write = ((chunk: Buffer, callback?: () => void) => {
            if (breakOnTypeQuery && chunk.includes('typarray')) {
              breakOnTypeQuery = false;
              setImmediate(() => socket.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })));
            }
            return write(chunk, callback);
          }) as typeof socket.write;
          socket.once('connect', () => resolve(socket)).once('error', reject);
        }),
    });
    // Unpatched, the failed type lookup is a promise nobody handles: the process dies of an unhandled rejection.
    await expect(sql`select 1`).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(await sql`select 5 as five`).toEqual([{ five: 5 }]);
  });

  it('rejects what a reserved connection sends after it closed', async () => {
    const sql = pool({ max: 2 });
    const reserved = await sql.reserve();
    const [row] = await reserved<{ pid: number }[]>`select pg_backend_pid() as pid`;
    await terminate(row!.pid);
    await sleep(100);
    await expect(reserved`select 1`).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    reserved.release();
    expect(await sql`select 4 as four`).toEqual([{ four: 4 }]);
  });
});
