// `pnpm soak --minutes N [--rate R] [--users U] [--no-save] [--smoke]`: the graph as separate processes
// (production mode) on a fresh database, driven at a steady rate by a mix of sign-ins, `me`, address
// writes and refreshes. Prints requests, errors and p50/p99 per operation, and heap and RSS of every
// process from its /metrics at the start (after a warm-up) and at the end; saves the table to
// bench/results/. Exits 1 on any error, or when a heap or RSS grew by 10% or more (not with --smoke,
// whose few seconds say nothing about memory).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { migrateDatabase } from '@meridian/db';
import { generateSigningJwk, toPublicJwk } from '@meridian/platform';
import { rateLimitsEnv } from '@meridian/auth';
import { APOLLO_TELEMETRY_OFF_ENV } from '@meridian/router';
import { loadOperationsDocument, operationText } from '@meridian/schema';
import { freePort, repoRoot, spawnNode as spawnBenchNode, stopAll, waitFor, type BenchProcess } from './lib/processes.js';
import { BENCH_PASSWORD, seedUsers } from './lib/seed.js';

/** Every process with a full collection each second, so its heap figures are what stays reachable. */
const spawnNode = (name: string, entry: string, port: number, env: Record<string, string>) => spawnBenchNode(name, entry, port, env, { collectGarbage: true });

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '25' },
    users: { type: 'string', default: '50' },
    'no-save': { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
  },
});
const MINUTES = Number(args.minutes);
const RATE = Number(args.rate);
const USERS = Number(args.users);
if (!(MINUTES > 0) || !(RATE > 0) || !(USERS >= 1)) throw new Error('--minutes, --rate and --users must be positive numbers');
const DURATION_MS = MINUTES * 60_000;
// Memory is compared from the end of a warm-up (a minute, or a third of a shorter run) to the end.
const WARM_UP_MS = Math.min(60_000, DURATION_MS / 3);
// Each memory figure is the lowest of the samples in a window (every 2 s); every process collects its
// garbage each second (bench/lib/collect-garbage.mjs), so the heap is what stays reachable.
const WINDOW_MS = Math.min(30_000, (DURATION_MS - WARM_UP_MS) / 4);
const SAMPLE_EVERY_MS = 2_000;
const MAX_IN_FLIGHT = 64;
const GROWTH_LIMIT = 0.1;
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const log = (message: string) => console.error(`[soak] ${message}`);

const operations = loadOperationsDocument();
const text = (name: string) => operationText(operations, name);
const LOGIN = text('Login');
const LOGOUT = text('Logout');
const ME = text('Me');
const REFRESH = text('RefreshSession');
const ADD_ADDRESS = text('AddAddress');
const DELETE_ADDRESS = text('DeleteAddress');
const ADDRESS = { fullName: 'Soak Tester', line1: '10 Downing Street', city: 'London', postalCode: 'SW1A 2AA', countryCode: 'GB' };

type Operation = 'sign-in' | 'logout' | 'me' | 'add address' | 'delete address' | 'refresh';
const OPERATIONS: Operation[] = ['sign-in', 'logout', 'me', 'add address', 'delete address', 'refresh'];

interface VirtualUser {
  email: string;
  accessToken: string;
  refreshToken: string;
  /** When the access token was issued (refreshed before it nears its 15 minutes). */
  issuedAt: number;
  /** The address this user added and deletes next: the address book stays bounded. */
  addedAddressId: string | null;
  busy: boolean;
}

interface Tally {
  requests: number;
  errors: number;
  /** Latencies (ms) after the warm-up. */
  measured: number[];
  firstError?: string;
}

const tallies = Object.fromEntries(OPERATIONS.map((name): [Operation, Tally] => [name, { requests: 0, errors: 0, measured: [] }])) as Record<Operation, Tally>;

const databaseName = `meridian_soak_${randomBytes(4).toString('hex')}`;
const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${databaseName}`);
const databaseUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${databaseName}` }).toString();
const dataDir = await mkdtemp(path.join(tmpdir(), 'meridian-soak-'));
const processes: BenchProcess[] = [];
let exitCode = 0;

try {
  log(`database ${databaseName}, ${USERS} users, ${RATE} req/s for ${MINUTES} min (warm-up ${Math.round(WARM_UP_MS / 1000)} s)`);
  await migrateDatabase(databaseUrl);
  const seedSql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const seeded = await seedUsers(seedSql, USERS);
  await seedSql.end();

  const metricsToken = randomBytes(24).toString('base64url');
  const authJwks = [await generateSigningJwk()];
  const routerJwks = [await generateSigningJwk()];
  const ports = { auth: await freePort(), users: await freePort(), localization: await freePort(), catalog: await freePort(), inventory: await freePort(), cart: await freePort(), orders: await freePort(), notifications: await freePort(), payments: await freePort(), router: await freePort() };
  const url = (port: number) => `http://127.0.0.1:${port}/graphql`;
  const common = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    METRICS_TOKEN: metricsToken,
    ROUTER_JWKS: JSON.stringify({ keys: routerJwks.map(toPublicJwk) }),
  };
  const authJwksUrl = `http://127.0.0.1:${ports.auth}/.well-known/jwks.json`;
  processes.push(
    spawnNode('auth', 'subgraphs/auth/src/main.ts', ports.auth, {
      ...common,
      // One client address sends everything here: the limits would refuse it (their own tests cover them).
      ...rateLimitsEnv('100000000/60'),
      LOCKOUT_THRESHOLD: '100000000',
      AUTH_PORT: String(ports.auth),
      AUTH_SIGNING_KEYS: JSON.stringify(authJwks),
      AUTH_SECRET: randomBytes(32).toString('base64url'),
      ROUTER_URL: url(ports.router),
    }),
    spawnNode('users', 'subgraphs/users/src/main.ts', ports.users, { ...common, USERS_PORT: String(ports.users) }),
    spawnNode('localization', 'subgraphs/localization/src/main.ts', ports.localization, { ...common, LOCALIZATION_PORT: String(ports.localization) }),
    spawnNode('catalog', 'subgraphs/catalog/src/main.ts', ports.catalog, { ...common, CATALOG_PORT: String(ports.catalog), ROUTER_URL: url(ports.router) }),
    spawnNode('inventory', 'subgraphs/inventory/src/main.ts', ports.inventory, { ...common, INVENTORY_PORT: String(ports.inventory) }),
    spawnNode('cart', 'subgraphs/cart/src/main.ts', ports.cart, { ...common, CART_PORT: String(ports.cart), ROUTER_URL: url(ports.router) }),
    spawnNode('orders', 'subgraphs/orders/src/main.ts', ports.orders, { ...common, ORDERS_PORT: String(ports.orders), ROUTER_URL: url(ports.router) }),
    // In the supergraph, so the router's readiness asks them; the soak's load neither orders nor pays.
    spawnNode('notifications', 'subgraphs/notifications/src/main.ts', ports.notifications, { ...common, NOTIFICATIONS_PORT: String(ports.notifications), ROUTER_URL: url(ports.router) }),
    spawnNode('payments', 'subgraphs/payments/src/main.ts', ports.payments, { ...common, PAYMENTS_PORT: String(ports.payments), ROUTER_URL: url(ports.router) }),
  );
  for (const subgraph of ['auth', 'users', 'localization', 'catalog', 'inventory', 'cart', 'orders', 'notifications', 'payments'] as const) {
    await waitFor(`http://127.0.0.1:${ports[subgraph]}/ready`, processes);
  }
  processes.push(
    spawnNode('router', 'router/src/main.ts', ports.router, {
      ...common,
      ...APOLLO_TELEMETRY_OFF_ENV,
      PORT: String(ports.router),
      // The load sends its operations as text (production's default is the safelist of ids).
      PERSISTED_QUERIES: 'off',
      ROUTER_SIGNING_KEYS: JSON.stringify(routerJwks),
      AUTH_JWKS_URL: authJwksUrl,
      AUTH_SUBGRAPH_URL: url(ports.auth),
      USERS_SUBGRAPH_URL: url(ports.users),
      LOCALIZATION_SUBGRAPH_URL: url(ports.localization),
      CATALOG_SUBGRAPH_URL: url(ports.catalog),
      INVENTORY_SUBGRAPH_URL: url(ports.inventory),
      CART_SUBGRAPH_URL: url(ports.cart),
      ORDERS_SUBGRAPH_URL: url(ports.orders),
      NOTIFICATIONS_SUBGRAPH_URL: url(ports.notifications),
      PAYMENTS_SUBGRAPH_URL: url(ports.payments),
    }),
  );
  await waitFor(`http://127.0.0.1:${ports.router}/ready`, processes);

  async function graphql(query: string, variables: Record<string, unknown>, token?: string): Promise<Record<string, Record<string, unknown> & { __typename: string }>> {
    const response = await fetch(url(ports.router), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Record<string, Record<string, unknown> & { __typename: string }>; errors?: unknown[] };
    if (response.status !== 200 || body.errors || !body.data) throw new Error(`${response.status} ${JSON.stringify(body).slice(0, 300)}`);
    return body.data;
  }

  function expectType<T extends Record<string, unknown>>(result: Record<string, unknown> & { __typename: string }, typename: string): T {
    if (result.__typename !== typename) throw new Error(`expected ${typename}, got ${JSON.stringify(result).slice(0, 300)}`);
    return result as unknown as T;
  }

  async function signIn(email: string): Promise<{ accessToken: string; refreshToken: string }> {
    const { login } = await graphql(LOGIN, { input: { email, password: BENCH_PASSWORD } });
    return expectType<{ accessToken: string; refreshToken: string }>(login!, 'AuthSession');
  }

  log(`signing ${USERS} users in`);
  const users: VirtualUser[] = [];
  for (const { email } of seeded) users.push({ email, ...(await signIn(email)), issuedAt: Date.now(), addedAddressId: null, busy: false });

  /** One step of a user's session, chosen by weight: me 40%, address write 20%, refresh 20%, sign-in (then logout of the old session) 20%. */
  async function step(user: VirtualUser): Promise<void> {
    const roll = Math.random();
    // An access token lives 15 minutes: one nearing 10 is refreshed first, as a client would.
    if (roll < 0.2 || Date.now() - user.issuedAt > 10 * 60_000) {
      await timed('refresh', async () => {
        const { refreshSession } = await graphql(REFRESH, { refreshToken: user.refreshToken });
        Object.assign(user, expectType<{ accessToken: string; refreshToken: string }>(refreshSession!, 'AuthSession'), { issuedAt: Date.now() });
      });
    } else if (roll < 0.4) {
      const previous = user.accessToken;
      await timed('sign-in', async () => {
        Object.assign(user, await signIn(user.email), { issuedAt: Date.now() });
      });
      // The device signs in anew: its previous session ends (signed out with its own token), so sessions do not pile up.
      await timed('logout', async () => {
        const { logout } = await graphql(LOGOUT, {}, previous);
        expectType(logout!, 'LoggedOut');
      });
    } else if (roll < 0.6) {
      if (user.addedAddressId) {
        const id = user.addedAddressId;
        await timed('delete address', async () => {
          const { deleteAddress } = await graphql(DELETE_ADDRESS, { id }, user.accessToken);
          expectType(deleteAddress!, 'AddressDeleted');
          user.addedAddressId = null;
        });
      } else {
        await timed('add address', async () => {
          const { addAddress } = await graphql(ADD_ADDRESS, { input: ADDRESS }, user.accessToken);
          user.addedAddressId = expectType<{ address: { id: string } }>(addAddress!, 'AddressAdded').address.id;
        });
      }
    } else {
      await timed('me', async () => {
        const { me } = await graphql(ME, {}, user.accessToken);
        if (!me || (me as { email?: string }).email !== user.email) throw new Error(`me answered ${JSON.stringify(me).slice(0, 200)}`);
      });
    }
  }

  const started = Date.now();
  const measuredFrom = started + WARM_UP_MS;
  async function timed(operation: Operation, work: () => Promise<void>): Promise<void> {
    const tally = tallies[operation];
    const begun = performance.now();
    tally.requests += 1;
    try {
      await work();
      if (Date.now() >= measuredFrom) tally.measured.push(performance.now() - begun);
    } catch (error) {
      tally.errors += 1;
      tally.firstError ??= error instanceof Error ? error.message : String(error);
    }
  }

  // Heap and RSS of every process, from its own /metrics (behind METRICS_TOKEN, as in production).
  type MemorySample = { at: number; heap: number; rss: number };
  const memory: Record<string, MemorySample[]> = Object.fromEntries(processes.map((process) => [process.name, []]));
  async function sampleMemory(): Promise<void> {
    await Promise.all(
      processes.map(async ({ name, port }) => {
        const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
        const exposition = await response.text();
        const read = (metric: string) => Number(new RegExp(`^${metric} (\\S+)$`, 'm').exec(exposition)?.[1]);
        memory[name]!.push({ at: Date.now(), heap: read('nodejs_heap_size_used_bytes'), rss: read('process_resident_memory_bytes') });
      }),
    );
  }

  log(`driving ${RATE} req/s`);
  let inFlight = 0;
  let skipped = 0;
  const pending = new Set<Promise<void>>();
  const ticker = setInterval(() => {
    const idle = users.filter((user) => !user.busy);
    if (idle.length === 0 || inFlight >= MAX_IN_FLIGHT) {
      skipped += 1;
      return;
    }
    const user = idle[Math.floor(Math.random() * idle.length)]!;
    user.busy = true;
    inFlight += 1;
    const running = step(user).finally(() => {
      user.busy = false;
      inFlight -= 1;
      pending.delete(running);
    });
    pending.add(running);
  }, 1000 / RATE);
  const sampler = setInterval(() => void sampleMemory().catch((error: unknown) => log(`memory sample failed: ${String(error)}`)), SAMPLE_EVERY_MS);
  await new Promise((resolve) => setTimeout(resolve, DURATION_MS));
  clearInterval(ticker);
  await Promise.all(pending);
  await sampleMemory();
  clearInterval(sampler);

  // ---------------------------------------------------------------------------------------- report
  const percentile = (values: number[], p: number) => {
    if (values.length === 0) return Number.NaN;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  };
  const f = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
  const mib = (bytes: number) => f(bytes / 2 ** 20);
  // The lowest sample in the window; in a run too short for one, the sample nearest to it.
  const windowLow = (samples: MemorySample[], from: number, to: number, key: 'heap' | 'rss') => {
    const inWindow = samples.filter((sample) => sample.at >= from && sample.at <= to);
    if (inWindow.length > 0) return Math.min(...inWindow.map((sample) => sample[key]));
    const nearest = [...samples].sort((a, b) => Math.abs(a.at - (from + to) / 2) - Math.abs(b.at - (from + to) / 2))[0];
    return nearest ? nearest[key] : Number.NaN;
  };
  const ended = Date.now();
  const memoryRows = processes.map(({ name }) => {
    const samples = memory[name]!;
    const start = { heap: windowLow(samples, measuredFrom, measuredFrom + WINDOW_MS, 'heap'), rss: windowLow(samples, measuredFrom, measuredFrom + WINDOW_MS, 'rss') };
    const end = { heap: windowLow(samples, ended - WINDOW_MS - SAMPLE_EVERY_MS, ended, 'heap'), rss: windowLow(samples, ended - WINDOW_MS - SAMPLE_EVERY_MS, ended, 'rss') };
    return { name, start, end, heapGrowth: end.heap / start.heap - 1, rssGrowth: end.rss / start.rss - 1 };
  });
  const totalErrors = Object.values(tallies).reduce((sum, tally) => sum + tally.errors, 0);
  const totalRequests = Object.values(tallies).reduce((sum, tally) => sum + tally.requests, 0);
  const grew = memoryRows.filter((row) => !(row.heapGrowth < GROWTH_LIMIT) || !(row.rssGrowth < GROWTH_LIMIT));
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot }).toString().trim();
  const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: repoRoot }).toString().trim() !== '';
  const date = new Date().toISOString();
  const pct = (value: number) => `${value >= 0 ? '+' : ''}${f(value * 100)}%`;
  const markdown = [
    `## Meridian soak${args.smoke ? ' (smoke)' : ''}`,
    '',
    `${date} · commit ${commit}${dirty ? '+dirty' : ''} · ${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}, ${Math.round(totalmem() / 2 ** 30)} GiB · Node ${process.version} · ` +
      `${MINUTES} min at ${RATE} req/s, ${USERS} users, every service its own process (production), warm-up ${f(WARM_UP_MS / 1000, 0)} s`,
    '',
    '| operation | requests | errors | p50 ms | p99 ms |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...OPERATIONS.map((name) => {
      const tally = tallies[name];
      return `| ${name} | ${tally.requests} | ${tally.errors} | ${f(percentile(tally.measured, 50))} | ${f(percentile(tally.measured, 99))} |`;
    }),
    `| **all** | ${totalRequests} | ${totalErrors} | | |`,
    '',
    `Latencies after the warm-up; ${skipped} ticks skipped (every user busy, or ${MAX_IN_FLIGHT} requests in flight).`,
    '',
    `| process | heap start → end MiB | heap growth | RSS start → end MiB | RSS growth |`,
    '| --- | ---: | ---: | ---: | ---: |',
    ...memoryRows.map(
      (row) => `| ${row.name} | ${mib(row.start.heap)} → ${mib(row.end.heap)} | ${pct(row.heapGrowth)} | ${mib(row.start.rss)} → ${mib(row.end.rss)} | ${pct(row.rssGrowth)} |`,
    ),
    '',
    `Memory from each process's /metrics (nodejs_heap_size_used_bytes, process_resident_memory_bytes), sampled every ${SAMPLE_EVERY_MS / 1000} s, each process collecting its garbage every second; start is the lowest sample of the ${f(WINDOW_MS / 1000, 0)} s after the warm-up, end the lowest of the last ${f(WINDOW_MS / 1000, 0)} s.`,
    '',
    `Verdict: ${totalErrors === 0 ? '0 errors' : `**${totalErrors} errors**`}; ${
      grew.length === 0 ? `every heap and RSS grew less than ${GROWTH_LIMIT * 100}%` : `**${grew.map((row) => row.name).join(', ')} grew ${GROWTH_LIMIT * 100}% or more**`
    }${args.smoke ? ' (not judged in a smoke run)' : ''}.`,
    '',
  ].join('\n');
  console.log(markdown);
  for (const [name, tally] of Object.entries(tallies)) if (tally.firstError) log(`first ${name} error: ${tally.firstError}`);
  if (!args['no-save'] && !args.smoke) {
    const resultsDir = path.join(repoRoot, 'bench', 'results');
    await mkdir(resultsDir, { recursive: true });
    const stem = `${date.replace(/[:.]/g, '-')}-${commit}-soak-${MINUTES}min`;
    await writeFile(path.join(resultsDir, `${stem}.md`), markdown);
    const summary = Object.fromEntries(
      OPERATIONS.map((name) => {
        const { requests, errors, measured } = tallies[name];
        return [name, { requests, errors, p50Ms: percentile(measured, 50), p99Ms: percentile(measured, 99) }];
      }),
    );
    const run = { date, commit: `${commit}${dirty ? '+dirty' : ''}`, minutes: MINUTES, rate: RATE, users: USERS, warmUpMs: WARM_UP_MS, operations: summary, memory: memoryRows, samples: memory };
    await writeFile(path.join(resultsDir, `${stem}.json`), `${JSON.stringify(run, null, 2)}\n`);
    log(`wrote bench/results/${stem}.{md,json}`);
  }
  exitCode = totalErrors > 0 || (!args.smoke && grew.length > 0) ? 1 : 0;
} finally {
  await stopAll(processes);
  await admin.unsafe(`drop database if exists ${databaseName} with (force)`);
  await admin.end();
  await rm(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
