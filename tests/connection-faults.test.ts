// Database connections that break under load (a pooler restart, a load balancer, a flaky network,
// an operator's pg_terminate_backend) must cost the requests in flight at most a clean, retryable
// SERVICE_UNAVAILABLE: no process dies, no acknowledged write is lost, and writes work again within
// seconds without a restart.
import { decodeJwt } from 'jose';
import postgres, { type Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitsEnv } from '@meridian/auth';
import { migrateDatabase } from '@meridian/db';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { op } from './support/graph.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';
import { sampleAddress } from './support/seed.js';
import { createServiceRoles, postGraphQL, startServices, type RunningServices, type ServiceRoles } from './support/service-processes.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

const ADDRESS_WRITERS = 16;
const LOGIN_WRITERS = 4;
// One user per address writer: an address book holds at most 100 addresses.
const USERS = ADDRESS_WRITERS;
const PASSWORD = 'the network is reliable, said no one';

let database: TestDatabase;
let mailbox: Mailbox;
let roles: ServiceRoles;
let proxy: TcpProxy;
let services: RunningServices;
let sql: Sql;

const PRODUCTION_WAITS = { DATABASE_ACQUIRE_TIMEOUT_MS: '2000' };

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = await startMailbox();
  await migrateDatabase(database.url);
  roles = await createServiceRoles(database);
  const target = new URL(database.url);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  services = await startServices({
    databaseUrls: { auth: proxy.via(roles.urlFor('auth')), users: proxy.via(roles.urlFor('users')), localization: proxy.via(roles.urlFor('localization')), catalog: proxy.via(roles.urlFor('catalog')), inventory: proxy.via(roles.urlFor('inventory')), cart: proxy.via(roles.urlFor('cart')), orders: proxy.via(roles.urlFor('orders')), notifications: proxy.via(roles.urlFor('notifications')), payments: proxy.via(roles.urlFor('payments')) },
    smtpUrl: mailbox.url,
    // The production bound on waiting for a connection: the faults are to be met as in production.
    env: {
      auth: { ...rateLimitsEnv('100000/60'), LOG_LEVEL: 'warn', ...PRODUCTION_WAITS },
      users: { LOG_LEVEL: 'warn', ...PRODUCTION_WAITS },
      router: { LOG_LEVEL: 'warn' },
    },
  });
  sql = postgres(database.url, { max: 1, onnotice: () => {} });
});

afterAll(async () => {
  await services?.stopAll();
  await proxy?.close();
  await sql?.end();
  await database?.drop();
  await mailbox?.close();
  await roles?.drop();
});

const graphql = (query: string, variables: Record<string, unknown> = {}, token?: string) => postGraphQL(services.routerUrl, query, variables, token);

async function signUp(label: string): Promise<{ email: string; accessToken: string }> {
  const email = `fault-${label}@example.com`;
  // 20 sign-ups at once on a loaded machine may wait too long for a connection: SERVICE_UNAVAILABLE says retry.
  for (let attempt = 1; ; attempt++) {
    const registered = await graphql(op('Register'), { input: { email, password: PASSWORD } });
    if (registered.data?.register?.__typename === 'VerificationEmailSent') break;
    const code = registered.errors?.[0]?.extensions?.code;
    if (code !== 'SERVICE_UNAVAILABLE' || attempt === 5) throw new Error(`register ${email}: ${JSON.stringify(registered)}`);
  }
  const mail = await mailbox.waitFor((received) => received.to === email);
  const verified = await graphql(op('VerifyEmail'), { token: mail.token });
  return { email, accessToken: verified.data?.verifyEmail?.accessToken as string };
}

interface Tally {
  /** Ids of the rows each acknowledged write created or deleted. */
  acknowledged: string[];
  /** When a write last succeeded. */
  lastSuccessAt: number;
  /** `extensions.code` (or the HTTP status) of every failed write. */
  failures: Map<string, number>;
}

/** Writers that each send one mutation after another through the router until stopped. */
function startWriters(count: number, write: (writer: number) => Promise<{ id?: string; failure?: string }>) {
  const tally: Tally = { acknowledged: [], lastSuccessAt: 0, failures: new Map() };
  let running = true;
  const loops = Array.from({ length: count }, async (_, writer) => {
    while (running) {
      const outcome: { id?: string; failure?: string } = await write(writer).catch((error: Error) => ({ failure: `fetch: ${error.message}` }));
      if (outcome.id) {
        tally.acknowledged.push(outcome.id);
        tally.lastSuccessAt = Date.now();
      } else {
        const failure = outcome.failure ?? 'unknown';
        tally.failures.set(failure, (tally.failures.get(failure) ?? 0) + 1);
      }
    }
  });
  return {
    tally,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

function failureOf(reply: Awaited<ReturnType<typeof graphql>>, field: string): string {
  return reply.errors?.map((error) => error.extensions?.code ?? error.message).join(',') ?? `${reply.status} ${JSON.stringify(reply.data?.[field])}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function expectAllAlive() {
  for (const service of ['auth', 'users', 'router'] as const) {
    const { child, output } = services.processes[service];
    const exit = { exitCode: child.exitCode, signal: child.signalCode };
    expect(exit, `${service} exited:\n${output.join('').slice(-3000)}`).toEqual({ exitCode: null, signal: null });
  }
}

describe('database connections broken under a write load of 20 concurrent writers through the router', () => {
  it.each([
    ['every connection reset at the proxy, five times', () => proxy.resetAll()],
    [
      'every backend of the database ended with pg_terminate_backend, three times',
      async () => {
        await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${database.name} and pid <> pg_backend_pid()`;
      },
    ],
  ])('%s: every process stays up, no acknowledged write is lost, writes recover', async (name, breakConnections) => {
    const users = await Promise.all(Array.from({ length: USERS }, (_, index) => signUp(`${name.split(' ')[1]}-${index}`)));
    // Each address writer adds addresses and, past a few, deletes its oldest: both must stick.
    const live: string[][] = users.map(() => []);
    const deleted: string[] = [];
    const uncertain = new Set<string>();
    const addresses = startWriters(ADDRESS_WRITERS, async (writer) => {
      const user = users[writer]!;
      const mine = live[writer]!;
      if (mine.length >= 20) {
        const id = mine.shift()!;
        const reply = await graphql(op('DeleteAddress'), { id }, user.accessToken);
        if (reply.data?.deleteAddress?.__typename === 'AddressDeleted') {
          deleted.push(id);
          return { id };
        }
        uncertain.add(id);
        return { failure: failureOf(reply, 'deleteAddress') };
      }
      const reply = await graphql(op('AddAddress'), { input: { ...sampleAddress, line2: `writer ${writer}` } }, user.accessToken);
      const id = reply.data?.addAddress?.__typename === 'AddressAdded' ? ((reply.data.addAddress.address as { id: string }).id) : undefined;
      if (!id) return { failure: failureOf(reply, 'addAddress') };
      mine.push(id);
      return { id };
    });
    const logins = startWriters(LOGIN_WRITERS, async (writer) => {
      const reply = await graphql(op('Login'), { input: { email: users[writer]!.email, password: PASSWORD } });
      const accessToken = reply.data?.login?.__typename === 'AuthSession' ? (reply.data.login.accessToken as string) : undefined;
      return accessToken ? { id: decodeJwt(accessToken).sid as string } : { failure: failureOf(reply, 'login') };
    });

    const rounds = name.startsWith('every connection') ? 5 : 3;
    try {
      await sleep(300);
      for (let round = 0; round < rounds; round++) {
        await breakConnections();
        await sleep(300);
      }
      const brokenAt = Date.now();
      // Without a restart, both services take writes again within seconds.
      await eventually(async () => {
        expectAllAlive();
        expect({ addresses: addresses.tally.lastSuccessAt > brokenAt, logins: logins.tally.lastSuccessAt > brokenAt }).toEqual({ addresses: true, logins: true });
      }, 10_000);
    } finally {
      await Promise.all([addresses.stop(), logins.stop()]);
    }
    expectAllAlive();
    expect(services.logs()).not.toMatch(/TypeError|uncaught|unhandled/i);

    const storedAddresses = new Set((await sql<{ id: string }[]>`select id from users.addresses`).map((row) => row.id));
    const lostAddresses = live.flat().filter((id) => !storedAddresses.has(id));
    const resurrectedAddresses = deleted.filter((id) => !uncertain.has(id) && storedAddresses.has(id));
    const storedSessions = new Set((await sql<{ id: string }[]>`select id from auth.sessions`).map((row) => row.id));
    const lostSessions = logins.tally.acknowledged.filter((id) => !storedSessions.has(id));
    expect({ lostAddresses, resurrectedAddresses, lostSessions }).toEqual({ lostAddresses: [], resurrectedAddresses: [], lostSessions: [] });
    expect(addresses.tally.acknowledged.length).toBeGreaterThan(ADDRESS_WRITERS);
    expect(logins.tally.acknowledged.length).toBeGreaterThan(LOGIN_WRITERS);

    // What the clients whose requests were in flight got: a retryable error, nothing else.
    const failures = new Set([...addresses.tally.failures.keys(), ...logins.tally.failures.keys()]);
    expect([...failures].filter((failure) => failure !== 'SERVICE_UNAVAILABLE')).toEqual([]);
  });
});
