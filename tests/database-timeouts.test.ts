// Database work has time limits: a statement and a transaction may take DATABASE_STATEMENT_TIMEOUT_MS,
// waiting for a connection DATABASE_ACQUIRE_TIMEOUT_MS. Past them the client gets a retryable
// SERVICE_UNAVAILABLE instead of a hang, the work is rolled back or never sent (it never commits
// after its client gave up), and a subgraph's /ready answers 503 within a second.
import postgres, { type Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitsEnv } from '@meridian/auth';
import { createPool, isReachable, migrateDatabase } from '@meridian/db';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { op } from './support/graph.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';
import { createServiceRoles, postGraphQL, startServices, type RunningServices, type ServiceRoles } from './support/service-processes.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

const STATEMENT_TIMEOUT_MS = 1_000;
const ACQUIRE_TIMEOUT_MS = 1_000;
/** How long a client waits before giving up; far beyond both limits. */
const CLIENT_PATIENCE_MS = 8_000;
const PASSWORD = 'the database is always there, said no one';

let database: TestDatabase;
let roles: ServiceRoles | undefined;
let proxy: TcpProxy;
let admin: Sql;
const pools: Sql[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateDatabase(database.url);
  const target = new URL(database.url);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  admin = postgres(database.url, { max: 2, onnotice: () => {} });
  await admin`create table public.writes (id int primary key)`;
});

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end({ timeout: 1 })));
  await proxy?.close();
  await admin?.end();
  await database?.drop();
  await roles?.drop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The promise's value, or a note that it is still pending after `ms`. */
const within = <T>(ms: number, promise: Promise<T>) => Promise.race([promise, sleep(ms).then(() => `still pending after ${ms} ms`)]);
/** 'done', or the error's code. */
const outcome = (promise: PromiseLike<unknown>) =>
  Promise.resolve(promise).then(
    () => 'done',
    (error: { code?: string; message?: string }) => error.code ?? error.message ?? 'unknown',
  );
const writes = async () => (await admin<{ id: number }[]>`select id from public.writes order by id`).map((row) => row.id);

/** A pool of one connection through the proxy, with the time limits the services use. */
function pool(): Sql {
  const sql = createPool(proxy.via(database.url), { max: 1, statementTimeoutMs: 500, acquireTimeoutMs: 300 });
  pools.push(sql);
  return sql;
}

/** Holds an exclusive lock on a table until the returned function is called. */
async function lockTable(table: string): Promise<() => Promise<void>> {
  const reserved = await admin.reserve();
  await reserved.unsafe(`begin; lock table ${table} in access exclusive mode`);
  return async () => {
    await reserved.unsafe('rollback');
    reserved.release();
  };
}

describe('the pool', () => {
  it('fails a query or transaction that finds no connection in time, never runs it, and recovers', async () => {
    const sql = pool();
    await sql`select 1`;
    proxy.cut();
    await sleep(100);
    try {
      const write = outcome(sql.unsafe('insert into public.writes values (1)'));
      const transaction = outcome(sql.begin((tx) => tx.unsafe('insert into public.writes values (2)')));
      expect(await within(3_000, Promise.all([write, transaction]))).toEqual(['CONNECTION_ACQUIRE_TIMEOUT', 'CONNECTION_ACQUIRE_TIMEOUT']);
    } finally {
      proxy.restore();
    }
    // The abandoned statements must not run once the database is back, and the connection is not lost.
    await eventually(async () => expect(await sql.unsafe('select 1 as one')).toEqual([{ one: 1 }]));
    expect(await sql.unsafe('select 2 as two')).toEqual([{ two: 2 }]);
    expect(await writes()).toEqual([]);
  });

  it('rolls back a transaction that outlives the statement timeout, and answers at once', async () => {
    const sql = pool();
    const slow = outcome(
      sql.begin(async (tx) => {
        await tx.unsafe('insert into public.writes values (3)');
        await sleep(1_500);
      }),
    );
    expect(await within(1_200, slow)).toBe('TRANSACTION_TIMEOUT');
    await sleep(500);
    await sql.unsafe('select 1');
    expect(await writes()).toEqual([]);
  });

  it('cancels a statement stuck on a lock and never commits it once the lock goes', async () => {
    const sql = pool();
    const unlock = await lockTable('public.writes');
    try {
      expect(await within(3_000, outcome(sql.begin((tx) => tx.unsafe('insert into public.writes values (4)'))))).toBe('TRANSACTION_TIMEOUT');
      // A statement outside a transaction: PostgreSQL's statement_timeout cancels it (57014).
      expect(await within(3_000, outcome(sql.unsafe('insert into public.writes values (5)')))).toBe('57014');
    } finally {
      await unlock();
    }
    await sql.unsafe('select 1');
    expect(await writes()).toEqual([]);
  });

  it('answers a readiness check within a second while the database is cut off', async () => {
    const sql = pool();
    await sql`select 1`;
    proxy.cut();
    // The pool sees its connection reset before the probe starts.
    await sleep(100);
    try {
      expect(await within(1_000, isReachable(sql))).toBe(false);
    } finally {
      proxy.restore();
    }
    await eventually(async () => expect(await isReachable(sql)).toBe(true));
  });
});

describe('through the router, each service in its own process', () => {
  let mailbox: Mailbox;
  let services: RunningServices;
  let user: { id: string; accessToken: string };

  beforeAll(async () => {
    mailbox = await startMailbox();
    roles = await createServiceRoles(database);
    const limits = { DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS), DATABASE_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS), LOG_LEVEL: 'warn' };
    services = await startServices({
      databaseUrls: { auth: proxy.via(roles.urlFor('auth')), users: proxy.via(roles.urlFor('users')), localization: proxy.via(roles.urlFor('localization')), catalog: proxy.via(roles.urlFor('catalog')), inventory: proxy.via(roles.urlFor('inventory')), cart: proxy.via(roles.urlFor('cart')), orders: proxy.via(roles.urlFor('orders')), notifications: proxy.via(roles.urlFor('notifications')), payments: proxy.via(roles.urlFor('payments')) },
      smtpUrl: mailbox.url,
      env: { auth: { ...rateLimitsEnv('100000/60'), ...limits }, users: limits, router: { LOG_LEVEL: 'warn' } },
    });
    const email = 'patience@example.com';
    const registered = await postGraphQL(services.routerUrl, op('Register'), { input: { email, password: PASSWORD } });
    const mail = await mailbox.waitFor((received) => received.to === email).catch((error: Error) => {
      throw new Error(`${error.message}; register answered ${JSON.stringify(registered)}\n${services.logs().slice(-3000)}`);
    });
    const verified = await postGraphQL(services.routerUrl, op('VerifyEmail'), { token: mail.token });
    const session = verified.data?.verifyEmail as { accessToken: string; user: { id: string } };
    user = { id: session.user.id, accessToken: session.accessToken };
  });

  afterAll(async () => {
    await services?.stopAll();
    await mailbox?.close();
  });

  /** updateProfile as a client that gives up after CLIENT_PATIENCE_MS: its error code, or what happened. */
  async function updateDisplayName(displayName: string): Promise<string> {
    try {
      const response = await fetch(services.routerUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.accessToken}` },
        body: JSON.stringify({ query: op('UpdateProfile'), variables: { input: { displayName } } }),
        signal: AbortSignal.timeout(CLIENT_PATIENCE_MS),
      });
      const body = (await response.json()) as { data?: { updateProfile?: { __typename?: string } | null } | null; errors?: { extensions?: { code?: string } }[] };
      return body.errors?.map((error) => error.extensions?.code).join(',') ?? body.data?.updateProfile?.__typename ?? 'no answer';
    } catch (error) {
      return `client gave up: ${(error as Error).name}`;
    }
  }

  const storedDisplayName = async () => (await admin<{ name: string | null }[]>`select display_name as name from users.profiles where user_id = ${user.id}`)[0]?.name ?? null;

  /** /ready of a subgraph as a probe with a one-second timeout sees it: the status, or that it gave up. */
  async function probe(service: 'auth' | 'users'): Promise<number | string> {
    try {
      return (await fetch(`http://127.0.0.1:${services.ports[service]}/ready`, { signal: AbortSignal.timeout(1_000) })).status;
    } catch (error) {
      return `probe gave up: ${(error as Error).name}`;
    }
  }

  it('while the database is cut off: SERVICE_UNAVAILABLE instead of a hang, /ready 503 within a second, nothing committed later', async () => {
    proxy.cut();
    let during: { update: string; ready: (number | string)[] };
    try {
      const [update, ...ready] = await Promise.all([updateDisplayName('Written during the cut'), probe('auth'), probe('users')]);
      during = { update, ready };
    } finally {
      proxy.restore();
    }
    expect(during).toEqual({ update: 'SERVICE_UNAVAILABLE', ready: [503, 503] });
    await eventually(async () => expect([await probe('auth'), await probe('users')]).toEqual([200, 200]));
    await sleep(1_000);
    expect(await storedDisplayName()).not.toBe('Written during the cut');
    expect(await updateDisplayName('Written after the cut')).toBe('ProfileUpdated');
  });

  it('a write stuck on a lock is cancelled and answered SERVICE_UNAVAILABLE; it never commits once the lock goes', async () => {
    const before = await storedDisplayName();
    const unlock = await lockTable('users.profiles');
    let update: string;
    try {
      update = await updateDisplayName('Written behind a lock');
    } finally {
      await unlock();
    }
    expect(update).toBe('SERVICE_UNAVAILABLE');
    await sleep(1_000);
    expect(await storedDisplayName()).toBe(before);
    expect(services.logs()).not.toMatch(/uncaught|unhandled/i);
  });
});
