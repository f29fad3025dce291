// SIGTERM stops a service within SHUTDOWN_TIMEOUT_MS and with exit code 0: requests in flight are
// answered (those that can no longer be served get SERVICE_UNAVAILABLE, never an internal error),
// keep-alive clients are told to go elsewhere, and mail that could not be sent in time stays in the
// outbox for the next process.
import { readFileSync } from 'node:fs';
import { request, Agent } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import postgres, { type Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitsEnv } from '@meridian/auth';
import { migrateDatabase } from '@meridian/db';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { op } from './support/graph.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';
import { createServiceRoles, postGraphQL, startServices, type RunningServices, type ServiceRoles } from './support/service-processes.js';

const PASSWORD = 'a shutdown is a deadline, not a wish';
const ROUTER_ENV = { LOG_LEVEL: 'warn' };

let database: TestDatabase;
let roles: ServiceRoles;
let sql: Sql;

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateDatabase(database.url);
  roles = await createServiceRoles(database);
  sql = postgres(database.url, { max: 1, onnotice: () => {} });
});

afterAll(async () => {
  await sql?.end();
  await database?.drop();
  await roles?.drop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const databaseUrls = () => ({ auth: roles.urlFor('auth'), users: roles.urlFor('users'), localization: roles.urlFor('localization'), catalog: roles.urlFor('catalog'), inventory: roles.urlFor('inventory'), cart: roles.urlFor('cart'), orders: roles.urlFor('orders'), notifications: roles.urlFor('notifications'), payments: roles.urlFor('payments') });

/** The process ids of a process's children (Linux). */
function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
}

/** SIGTERM, then the exit code, or a note that the process still runs after `limitMs`. */
async function stopWithin(services: RunningServices, name: 'auth' | 'users', limitMs: number): Promise<number | null | string> {
  return Promise.race([services.stop(name), sleep(limitMs).then(() => `still running ${limitMs} ms after SIGTERM`)]);
}

describe('SIGTERM while 50 sign-ins wait for their password check', () => {
  let mailbox: Mailbox;
  let services: RunningServices;

  beforeAll(async () => {
    mailbox = await startMailbox();
    services = await startServices({
      databaseUrls: databaseUrls(),
      smtpUrl: mailbox.url,
      env: {
        // One hash at a time: 50 sign-ins need a few seconds, far more than the shutdown allows.
        // Concurrent sign-ins of one address beyond the lockout threshold would be refused before any hashing.
        auth: { ...rateLimitsEnv('100000/60'), LOCKOUT_THRESHOLD: '1000', PASSWORD_HASH_CONCURRENCY: '1', SHUTDOWN_TIMEOUT_MS: '1500', LOG_LEVEL: 'info' },
        users: { LOG_LEVEL: 'warn' },
        router: ROUTER_ENV,
      },
    });
  });

  afterAll(async () => {
    await services?.stopAll();
    await mailbox?.close();
  });

  it('answers every one (signed in, or SERVICE_UNAVAILABLE), and auth exits 0', async () => {
    const email = 'queued@example.com';
    await postGraphQL(services.routerUrl, op('Register'), { input: { email, password: PASSWORD } });
    const mail = await mailbox.waitFor((received) => received.to === email);
    await postGraphQL(services.routerUrl, op('VerifyEmail'), { token: mail.token });

    const logins = Array.from({ length: 50 }, () =>
      postGraphQL(services.routerUrl, op('Login'), { input: { email, password: PASSWORD } }).then(
        (reply) => reply.errors?.map((error) => error.extensions?.code ?? error.message).join(',') ?? String(reply.data?.login?.__typename),
        (error: Error) => `fetch failed: ${error.message}`,
      ),
    );
    await sleep(300);
    // As systemd, a terminal's Ctrl-C or `kill -- -PGID` do: the signal reaches the password hashing process too.
    const hashers = childrenOf(services.processes.auth.child.pid!);
    expect(hashers.length).toBeGreaterThan(0);
    const exited = stopWithin(services, 'auth', 6_000);
    for (const pid of hashers) process.kill(pid, 'SIGTERM');
    const exitCode = await exited;
    const answers = await Promise.all(logins);
    const tally = Object.fromEntries([...new Set(answers)].map((answer) => [answer, answers.filter((other) => other === answer).length]));

    const authLog = services.processes.auth.output.join('');
    expect({ exitCode, unexpected: Object.keys(tally).filter((answer) => answer !== 'AuthSession' && answer !== 'SERVICE_UNAVAILABLE') }, JSON.stringify(tally)).toEqual({
      exitCode: 0,
      unexpected: [],
    });
    // The shutdown cut the queue short: some were refused, cleanly.
    expect(tally.SERVICE_UNAVAILABLE ?? 0, JSON.stringify(tally)).toBeGreaterThan(0);
    expect(authLog).not.toMatch(/ERR_IPC_CHANNEL_CLOSED|uncaught|unhandled|Internal server error/i);
  });
});

describe('SIGTERM with keep-alive clients and a slow mail relay', () => {
  let services: RunningServices;
  let relay: Server;
  const relayConnections: Socket[] = [];

  beforeAll(async () => {
    // A relay that accepts connections and never says a word: nodemailer waits for its greeting.
    relay = createServer((socket) => relayConnections.push(socket.on('error', () => {})));
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const { port } = relay.address() as { port: number };
    services = await startServices({
      databaseUrls: databaseUrls(),
      smtpUrl: `smtp://127.0.0.1:${port}`,
      env: {
        auth: { ...rateLimitsEnv('100000/60'), SHUTDOWN_TIMEOUT_MS: '2000', LOG_LEVEL: 'info' },
        users: { SHUTDOWN_TIMEOUT_MS: '3000', LOG_LEVEL: 'info' },
        router: ROUTER_ENV,
      },
    });
  });

  afterAll(async () => {
    await services?.stopAll();
    for (const socket of relayConnections) socket.destroy();
    await new Promise<void>((resolve) => relay?.close(() => resolve()));
  });

  it('closes a keep-alive connection after the answer under way at SIGTERM, instead of serving it until the timeout', async () => {
    const port = services.ports.users;
    // A request still being received holds the drain open, as a slow router call would.
    const held = connect(port, '127.0.0.1').on('error', () => {});
    held.write(`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`);
    await sleep(200);

    // One keep-alive connection, as the router's pool keeps to each subgraph.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (path: string, body?: string) =>
      new Promise<string | undefined>((resolve, reject) => {
        const outgoing = request(
          { host: '127.0.0.1', port, path, agent, method: body ? 'POST' : 'GET', headers: body ? { 'content-type': 'application/json', 'content-length': body.length } : {} },
          (response) => response.resume().on('end', () => resolve(response.headers.connection)),
        ).on('error', reject);
        if (!body) return outgoing.end();
        // The body arrives slowly, so the request is under way when SIGTERM comes.
        outgoing.write(body.slice(0, 1));
        setTimeout(() => outgoing.end(body.slice(1)), 400);
      });
    await send('/health');
    const underWay = send('/graphql', '{}');
    await sleep(100);
    const stopped = stopWithin(services, 'users', 8_000);
    const answeredUnderWay = await underWay;
    let servedAfterwards = 0;
    for (const startedAt = Date.now(); Date.now() - startedAt < 1_500; servedAfterwards++) {
      if ((await send('/health').catch(() => null)) === null) break;
    }
    agent.destroy();
    held.destroy();

    expect(await stopped).toBe(0);
    expect({ answeredUnderWay, servedAfterwards }).toEqual({ answeredUnderWay: 'close', servedAfterwards: 0 });
  });

  it('stops within SHUTDOWN_TIMEOUT_MS while a mail waits for the relay, and leaves the mail for the next process', async () => {
    const reply = await postGraphQL(services.routerUrl, op('Register'), { input: { email: 'slow-relay@example.com', password: PASSWORD } });
    expect(reply.data?.register?.__typename).toBe('VerificationEmailSent');
    // Delivery has started: the relay has a connection and says nothing.
    for (let waited = 0; relayConnections.length === 0 && waited < 10_000; waited += 50) await sleep(50);
    expect(relayConnections.length).toBeGreaterThan(0);

    const startedAt = Date.now();
    const exitCode = await stopWithin(services, 'auth', 8_000);
    const elapsedMs = Date.now() - startedAt;
    const mail = await sql<{ sent: boolean; dead: boolean; leased: boolean; attempts: number }[]>`
      select sent_at is not null as sent, dead_at is not null as dead, coalesce(locked_until > now(), false) as leased, attempts
      from auth.outbox where kind = 'mail' and sent_at is null`;
    expect({ exitCode, withinShutdownTimeout: elapsedMs < 2_000 + 1_500 }, `stopped after ${elapsedMs} ms`).toEqual({ exitCode: 0, withinShutdownTimeout: true });
    expect(mail).toEqual([{ sent: false, dead: false, leased: false, attempts: 0 }]);
    expect(services.processes.auth.output.join('')).not.toMatch(/uncaught|unhandled/i);
  });
});
