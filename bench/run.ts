// `pnpm bench [--quick | --smoke] [--no-save] | --serve`: the graph on the local PostgreSQL with seeded data, each process on its own,
// measured side by side with interleaved arms (A B A B). Prints a markdown table and writes it, with
// the raw figures, to bench/results/. --smoke (bench/bench.test.ts) only checks that every arm answers, in a few seconds:
// the subgraphs and the router in the bench's process, a handful of requests per arm.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import argon2 from 'argon2';
import { SignJWT } from 'jose';
import postgres from 'postgres';
import { createPool, migrateDatabase } from '@meridian/db';
import {
  ACCESS_TOKEN_TYPE,
  ROUTER_TOKEN_HEADER,
  createAccessTokenVerifier,
  createLogger,
  createRouterTokenSigner,
  generateRouterMacSecret,
  generateSigningJwk,
  importSigningKeys,
  localKeyResolver,
  publicKeySet,
  readCommonConfig,
  resolveRouterVerificationKeys,
  routerMacKeyEntries,
  toPublicJwk,
} from '@meridian/platform';
import { rateLimitsEnv, readAuthConfig } from '@meridian/auth';
import { APOLLO_TELEMETRY_OFF_ENV, readRouterConfig, startRouter } from '@meridian/router';
import { loadSupergraphSdl } from '@meridian/schema';
import { readCartConfig, startCartService } from '@meridian/cart';
import { readOrdersConfig, startOrdersService } from '@meridian/orders';
import { createLocalizationUseCases } from '@meridian/localization';
import { explainProductPage, readCatalogConfig, startCatalogService } from '@meridian/catalog';
import { demoCatalog } from '@meridian/catalog/demo';
import { readInventoryConfig, startInventoryService } from '@meridian/inventory';
import { readUsersConfig, startUsersService } from '@meridian/users';
import { profileCpu, whereTheTimeGoes, type CpuBreakdown } from './lib/cpu-profile.js';
import { combine, runLoad as runTimedLoad, type LoadResult, type LoadSpec } from './lib/load.js';
import { freePort, holdPorts, repoRoot, spawnNode, stopAll, waitFor, type BenchProcess } from './lib/processes.js';
import { BENCH_PASSWORD, seedUsers } from './lib/seed.js';
import { seedDemoShop } from '../scripts/demo-shop.js';
import { ADMIN_DATABASE_URL, migratedTemplate } from '../tests/support/database.js';

// --smoke (the test suite's run) only proves every arm answers: one short run each, no warm-up.
const smoke = process.argv.includes('--smoke');
const quick = smoke || process.argv.includes('--quick');
const ROUNDS = quick ? 1 : 2;
const SECONDS = smoke ? 1 : quick ? 2 : 6;
const WARM_UP_SECONDS = smoke ? 0 : quick ? 1 : 3;
// --smoke sends one request on each of at most four connections instead of SECONDS of load: enough to see an arm answer.
// Its services share this process, so their CPU time is not read either.
const runLoad = (spec: LoadSpec, watched: Record<string, number>) => {
  if (!smoke || spec.amount !== undefined) return runTimedLoad(spec, watched);
  const connections = Math.min(4, spec.connections);
  return runTimedLoad({ ...spec, connections, amount: connections }, {});
};
const CONNECTIONS = 16;
const USERS = smoke ? 120 : quick ? 200 : 1000;
// Scenarios 8 and 9: the demo catalog, at the size issue 11 asks search to be measured at (--smoke: the fewest whose tents, a tenth, fill scenario 8's page of 50).
const PRODUCTS = smoke ? 500 : quick ? 20_000 : 100_000;
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ISSUER = 'urn:meridian:auth';
const AUDIENCE = 'urn:meridian:api';

const ME = JSON.stringify({ query: '{ me { id email } }' });
const ME_WITH_ADDRESSES = JSON.stringify({ query: '{ me { email addresses { id line1 city postalCode countryCode } } }' });
const LOGIN = JSON.stringify({
  query: 'mutation($input: LoginInput!) { login(input: $input) { __typename } }',
  variables: { input: { email: 'user-1@bench.example', password: BENCH_PASSWORD } },
});

const benchStarted = performance.now();
const log = (message: string) => console.error(`[bench ${((performance.now() - benchStarted) / 1000).toFixed(1).padStart(6)} s] ${message}`);

// ---------------------------------------------------------------------------------------------- setup
const databaseName = `meridian_bench_${randomBytes(4).toString('hex')}`;
const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
// --smoke copies the tests' migrated template instead of migrating a new database.
const template = smoke && ADMIN_URL === ADMIN_DATABASE_URL ? ` template ${await migratedTemplate(admin)}` : '';
await admin.unsafe(`create database ${databaseName}${template}`);
// --smoke runs the graph in this process (below): its code loads while the database is seeded.
const loadingGraph = smoke ? import('../scripts/graph.js') : undefined;
const databaseUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${databaseName}` }).toString();
const dataDir = await mkdtemp(path.join(tmpdir(), 'meridian-bench-'));
const processes: BenchProcess[] = [];
/** A service run in this process (--smoke): its CPU time is this process's. */
interface InProcess {
  inProcess: true;
}
let closeGraphHere: (() => Promise<void>) | undefined;

async function cleanUp() {
  await stopAll(processes);
  await closeGraphHere?.();
  await admin.unsafe(`drop database if exists ${databaseName} with (force)`);
  await admin.end();
  await rm(dataDir, { recursive: true, force: true });
}

try {
  log(`database ${databaseName}, ${USERS} users, ${ROUNDS} round(s) of ${SECONDS} s per arm`);
  const authJwks = [await generateSigningJwk()];
  const routerJwks = [await generateSigningJwk()];
  const [authKey] = await importSigningKeys(authJwks, 'bench');
  const [routerKey] = await importSigningKeys(routerJwks, 'bench');
  const signRouterToken = createRouterTokenSigner(routerKey!);
  const mint = (userId: string, roles = ['customer']) =>
    new SignJWT({ sid: randomUUID(), roles })
      .setProtectedHeader({ alg: 'EdDSA', kid: authKey!.kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(userId)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(authKey!.privateKey);

  const GRAPH_SUBGRAPHS = ['auth', 'users', 'localization', 'catalog', 'inventory', 'cart', 'orders', 'notifications', 'payments'] as const;
  // The subgraphs and the router start after the seeding, the gateway arms before it.
  const graphPorts = await holdPorts([...GRAPH_SUBGRAPHS, 'router']);
  const ports = { ...graphPorts.ports, stock: await freePort(), hive: await freePort(), hiveRust: await freePort() };
  const url = (port: number) => `http://127.0.0.1:${port}/graphql`;
  const relaxed = rateLimitsEnv('100000000/60');
  // Scenarios 10 and 11: the cart (exact stock levels) and the orders service (checkout) call with identities of
  // their own, listed on the auth service as an operator would (README "Service identities").
  const serviceClient = (clientId: string, roles = ['checkout']) => {
    const clientSecret = randomBytes(32).toString('base64url');
    return { credentials: { clientId, clientSecret }, entry: { id: clientId, secretSha256: createHash('sha256').update(clientSecret).digest('hex'), roles } };
  };
  const ordersClient = serviceClient('orders-bench');
  const cartClient = serviceClient('cart-bench');
  // The notifications service reads the orders' events (scenario 11's orders) and sends their mail as .eml files.
  const notificationsClient = serviceClient('notifications-bench', ['notifications']);
  // The payments service is in the supergraph (the router's readiness asks it); no scenario pays, so no provider is configured.
  const paymentsClient = serviceClient('payments-bench', ['payments']);
  const credentialsEnv = ({ credentials }: { credentials: { clientId: string; clientSecret: string } }) => ({ SERVICE_CLIENT_ID: credentials.clientId, SERVICE_CLIENT_SECRET: credentials.clientSecret });
  // Router tokens MACed per subgraph, as README "Security" configures production; BENCH_ROUTER_MAC=off signs them with Ed25519 instead.
  const routerMacSecrets = process.env.BENCH_ROUTER_MAC === 'off' ? [] : [generateRouterMacSecret()];
  const macEnv = (variables: Record<string, string>) => (routerMacSecrets.length > 0 ? variables : {});
  /** A subgraph process gets only its own MAC key; the graph run in this process (--smoke) gets every subgraph's. */
  const macKeysOf = (...subgraphs: string[]) => macEnv({ ROUTER_MAC_KEYS: JSON.stringify(subgraphs.flatMap((subgraph) => routerMacKeyEntries(routerMacSecrets, subgraph))) });
  const common = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    ROUTER_JWKS: JSON.stringify({ keys: routerJwks.map(toPublicJwk) }),
    ...(process.env.UV_THREADPOOL_SIZE ? { UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE } : {}),
  };
  const gatewayEnv = {
    ...common,
    ...APOLLO_TELEMETRY_OFF_ENV,
    ROUTER_SIGNING_KEYS: JSON.stringify(routerJwks),
    ...macEnv({ ROUTER_MAC_SECRETS: JSON.stringify(routerMacSecrets) }),
    AUTH_JWKS_URL: `http://127.0.0.1:${ports.auth}/.well-known/jwks.json`,
    AUTH_SUBGRAPH_URL: url(ports.auth),
    USERS_SUBGRAPH_URL: url(ports.users),
    LOCALIZATION_SUBGRAPH_URL: url(ports.localization),
    CATALOG_SUBGRAPH_URL: url(ports.catalog),
    INVENTORY_SUBGRAPH_URL: url(ports.inventory),
    CART_SUBGRAPH_URL: url(ports.cart),
    ORDERS_SUBGRAPH_URL: url(ports.orders),
    NOTIFICATIONS_SUBGRAPH_URL: url(ports.notifications),
    PAYMENTS_SUBGRAPH_URL: url(ports.payments),
  };
  const authEnv = {
    ...relaxed,
    LOCKOUT_THRESHOLD: '100000000',
    AUTH_SIGNING_KEYS: JSON.stringify(authJwks),
    AUTH_SECRET: randomBytes(32).toString('base64url'),
    SERVICE_CLIENTS: JSON.stringify([ordersClient.entry, cartClient.entry, notificationsClient.entry, paymentsClient.entry]),
  };
  // The gateway arms load while the database is seeded: they call no subgraph before their first request.
  const stock = spawnNode('stock', 'bench/arms/stock-gateway.ts', ports.stock, { ...gatewayEnv, PORT: String(ports.stock) });
  const hive = spawnNode('hive', 'bench/arms/hive-gateway.ts', ports.hive, { ...gatewayEnv, PORT: String(ports.hive) });
  const hiveRust = spawnNode('hive-rust', 'bench/arms/hive-rust-gateway.ts', ports.hiveRust, { ...gatewayEnv, PORT: String(ports.hiveRust) });
  processes.push(stock, hive, hiveRust);
  await migrateDatabase(databaseUrl);
  const seedSql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const users = await seedUsers(seedSql, USERS);
  await seedSql.end();
  // Scenario 7's shop: yen and German enabled, the shipped ECB rates imported.
  const localizationPool = createPool(databaseUrl, { max: 1, applicationName: 'meridian-bench-seed' });
  const localizationUseCases = createLocalizationUseCases(localizationPool);
  await localizationUseCases.shop.setCurrency('JPY', 'enable');
  await localizationUseCases.shop.setLocale('de', 'enable');
  await localizationUseCases.rates.importEcb(await readFile(path.join(repoRoot, 'db/seed/eurofxref-daily-2022-07-08.xml'), 'utf8'));
  await localizationPool.end();
  // Scenarios 8 and 9: the demo shop (German, euros and pounds enabled, ECB rates) with PRODUCTS products and their stock.
  const seedStarted = Date.now();
  await seedDemoShop(databaseUrl, { products: PRODUCTS });
  log(`seeded ${PRODUCTS} demo products with their stock in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);
  await graphPorts.release();

  /** Each subgraph and the router as a process of its own. */
  const spawnGraph = async () => {
    const auth = spawnNode('auth', 'subgraphs/auth/src/main.ts', ports.auth, {
      ...common,
      ...macKeysOf('auth'),
      ...authEnv,
      AUTH_PORT: String(ports.auth),
      ROUTER_URL: url(ports.router),
    });
    const usersProcess = spawnNode('users', 'subgraphs/users/src/main.ts', ports.users, {
      ...common,
      ...macKeysOf('users'),
      USERS_PORT: String(ports.users),
    });
    const localization = spawnNode('localization', 'subgraphs/localization/src/main.ts', ports.localization, {
      ...common,
      ...macKeysOf('localization'),
      LOCALIZATION_PORT: String(ports.localization),
    });
    const catalog = spawnNode('catalog', 'subgraphs/catalog/src/main.ts', ports.catalog, {
      ...common,
      ...macKeysOf('catalog'),
      CATALOG_PORT: String(ports.catalog),
      ROUTER_URL: url(ports.router),
    });
    const inventory = spawnNode('inventory', 'subgraphs/inventory/src/main.ts', ports.inventory, {
      ...common,
      ...macKeysOf('inventory'),
      INVENTORY_PORT: String(ports.inventory),
    });
    const cart = spawnNode('cart', 'subgraphs/cart/src/main.ts', ports.cart, {
      ...common,
      ...macKeysOf('cart'),
      CART_PORT: String(ports.cart),
      ROUTER_URL: url(ports.router),
      ...credentialsEnv(cartClient),
    });
    const orders = spawnNode('orders', 'subgraphs/orders/src/main.ts', ports.orders, {
      ...common,
      ...macKeysOf('orders'),
      ORDERS_PORT: String(ports.orders),
      ROUTER_URL: url(ports.router),
      ...credentialsEnv(ordersClient),
    });
    const notifications = spawnNode('notifications', 'subgraphs/notifications/src/main.ts', ports.notifications, {
      ...common,
      ...macKeysOf('notifications'),
      NOTIFICATIONS_PORT: String(ports.notifications),
      ROUTER_URL: url(ports.router),
      ...credentialsEnv(notificationsClient),
    });
    const payments = spawnNode('payments', 'subgraphs/payments/src/main.ts', ports.payments, {
      ...common,
      ...macKeysOf('payments'),
      PAYMENTS_PORT: String(ports.payments),
      ROUTER_URL: url(ports.router),
      ...credentialsEnv(paymentsClient),
    });
    processes.push(auth, usersProcess, localization, catalog, inventory, cart, orders, notifications, payments);
    for (const subgraph of GRAPH_SUBGRAPHS) {
      await waitFor(`http://127.0.0.1:${ports[subgraph]}/ready`, processes);
    }
    // The load sends its operations as text, as the stock and Hive gateways take them (production's default is the safelist).
    const router = spawnNode('router', 'router/src/main.ts', ports.router, { ...gatewayEnv, PORT: String(ports.router), PERSISTED_QUERIES: 'off' });
    processes.push(router);
    return { auth, usersProcess, localization, catalog, inventory, cart, orders, router };
  };
  /**
   * --smoke only proves that every arm answers: the subgraphs and the router run in this process, as the tests run
   * them (scripts/graph.ts), instead of ten processes each loading the same code (most of the smoke run's time).
   */
  const startGraphHere = async () => {
    const { startGraph } = await (loadingGraph ?? import('../scripts/graph.js'));
    const graph = await startGraph({
      env: {
        ...gatewayEnv,
        ...macKeysOf(...GRAPH_SUBGRAPHS),
        ...authEnv,
        PERSISTED_QUERIES: 'off',
        PORT: String(ports.router),
        AUTH_PORT: String(ports.auth),
        USERS_PORT: String(ports.users),
        LOCALIZATION_PORT: String(ports.localization),
        CATALOG_PORT: String(ports.catalog),
        INVENTORY_PORT: String(ports.inventory),
        CART_PORT: String(ports.cart),
        ORDERS_PORT: String(ports.orders),
        NOTIFICATIONS_PORT: String(ports.notifications),
        PAYMENTS_PORT: String(ports.payments),
        // One pool for every service here, instead of one each.
        DATABASE_POOL_MAX: '40',
        SHUTDOWN_TIMEOUT_MS: '2000',
      },
      logDestination: process.stderr,
    });
    closeGraphHere = graph.close;
    const here: InProcess = { inProcess: true };
    return { auth: here, usersProcess: here, localization: here, catalog: here, inventory: here, cart: here, orders: here, router: here };
  };
  const { auth, usersProcess, localization, catalog, inventory, cart, orders, router } = smoke ? await startGraphHere() : await spawnGraph();
  await waitFor(`http://127.0.0.1:${ports.router}/ready`, processes);
  const probe = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) };
  await waitFor(url(ports.stock), processes, probe);
  await waitFor(url(ports.hive), processes, probe);
  await waitFor(url(ports.hiveRust), processes, probe);
  const pid = (measured: BenchProcess | InProcess) => ('child' in measured ? measured.child.pid! : process.pid);

  const user = users[0]!;
  const token = await mint(user.id);
  const bearer = { authorization: `Bearer ${token}` };

  /** Throws unless every arm's `data` is the first arm's, showing where the first that differs parts from it. */
  const expectSameData = (what: string, answers: Record<string, unknown>) => {
    const [[firstName, first], ...others] = Object.entries(answers).map(([name, data]) => [name, JSON.stringify(data)]) as [[string, string], ...[string, string][]];
    for (const [name, data] of others) {
      if (data === first) continue;
      let at = 0;
      while (data[at] === first[at]) at += 1;
      throw new Error(`${what}: ${name} answered …${data.slice(Math.max(0, at - 100), at + 200)}, ${firstName} …${first.slice(Math.max(0, at - 100), at + 200)}`);
    }
  };
  // Every arm must answer correctly, and all the same data, before it is timed.
  const meAnswers: Record<string, unknown> = {};
  for (const [name, target] of [
    ['router', url(ports.router)],
    ['stock', url(ports.stock)],
    ['hive', url(ports.hive)],
    ['hive-rust', url(ports.hiveRust)],
  ] as const) {
    const response = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer }, body: ME_WITH_ADDRESSES });
    const body = (await response.json()) as { data?: { me?: { addresses?: unknown[] } } };
    if (body.data?.me?.addresses?.length !== 2) throw new Error(`${name} answered ${JSON.stringify(body).slice(0, 300)}`);
    meAnswers[name] = body.data;
  }
  expectSameData('me', meAnswers);
  const loginCheck = (await (await fetch(url(ports.router), { method: 'POST', headers: { 'content-type': 'application/json' }, body: LOGIN })).json()) as {
    data?: { login?: { __typename?: string } };
  };
  if (loginCheck.data?.login?.__typename !== 'AuthSession') throw new Error(`login answered ${JSON.stringify(loginCheck)}`);

  // A direct call carries what the router would send: the router token vouches for the caller it verified.
  const verifyAccessToken = createAccessTokenVerifier({ keys: localKeyResolver(publicKeySet([authKey!])), issuer: ISSUER, audience: AUDIENCE });
  const directHeaders = async (subgraph: 'auth' | 'users', accessToken: string) => {
    const check = await verifyAccessToken(accessToken);
    if (!check.ok) throw new Error(`a bench token did not verify: ${check.reason}`);
    return {
      authorization: `Bearer ${accessToken}`,
      [ROUTER_TOKEN_HEADER]: signRouterToken({ subgraph, caller: { accessToken, verified: check.token }, client: { ip: null, userAgent: null } }),
    };
  };

  /** Runs the arms in turn, `ROUNDS` times (A B A B), after one warm-up pass, and averages each arm. */
  async function interleave(arms: Record<string, () => Promise<{ spec: LoadSpec; watched: Record<string, number> }>>): Promise<Record<string, LoadResult>> {
    const runs: Record<string, LoadResult[]> = Object.fromEntries(Object.keys(arms).map((name) => [name, []]));
    for (const arm of Object.values(arms)) {
      if (WARM_UP_SECONDS === 0) break;
      const { spec, watched } = await arm();
      await runLoad({ ...spec, durationSeconds: WARM_UP_SECONDS }, watched);
    }
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, arm] of Object.entries(arms)) {
        const { spec, watched } = await arm();
        runs[name]!.push(await runLoad(spec, watched));
      }
    }
    return Object.fromEntries(Object.entries(runs).map(([name, results]) => [name, combine(results)]));
  }

  if (process.argv.includes('--serve')) {
    // `pnpm bench --serve`: keep the benchmark graph running for profiling (BENCH_PROFILE=<process>).
    const directAuth = await directHeaders('auth', token);
    // BENCH_SERVE_TOKENS=<n>: more distinct tokens than the verified-token caches hold, to profile the distinct-token path.
    const tokenCount = Number(process.env.BENCH_SERVE_TOKENS ?? 200);
    const tokens = await Promise.all(Array.from({ length: tokenCount }, (_, index) => mint(users[index % users.length]!.id)));
    console.log(JSON.stringify({ ports, pids: Object.fromEntries(processes.map((p) => [p.name, p.child.pid])), bearer, directAuth, tokens }, null, 2));
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    throw new Error('stopped');
  }

  const results: Record<string, unknown> = {};

  // 1. One subgraph directly vs through the router.
  log('scenario 1: me { id email }, auth subgraph direct vs Meridian router');
  const watched1 = { router: pid(router), auth: pid(auth) };
  const s1 = await interleave({
    direct: async () => ({ spec: { url: url(ports.auth), body: ME, headers: await directHeaders('auth', token), connections: CONNECTIONS, durationSeconds: SECONDS }, watched: watched1 }),
    router: async () => ({ spec: { url: url(ports.router), body: ME, headers: bearer, connections: CONNECTIONS, durationSeconds: SECONDS }, watched: watched1 }),
  });
  const lightRate = Math.max(10, Math.round(s1.router!.requestsPerSecond * 0.2));
  log(`scenario 1b: both at ${lightRate} req/s (20% of the router's capacity)`);
  const s1light = await interleave({
    direct: async () => ({
      spec: { url: url(ports.auth), body: ME, headers: await directHeaders('auth', token), connections: 4, durationSeconds: SECONDS, overallRate: lightRate },
      watched: watched1,
    }),
    router: async () => ({ spec: { url: url(ports.router), body: ME, headers: bearer, connections: 4, durationSeconds: SECONDS, overallRate: lightRate }, watched: watched1 }),
  });
  results.scenario1 = { full: s1, light: { rate: lightRate, ...s1light } };

  // 2. Two subgraphs: Meridian router vs stock @apollo/gateway vs @graphql-hive/gateway, with its JavaScript and its Rust query planner.
  log('scenario 2: me { email addresses { … } } through four gateways');
  const spec2 = (port: number): LoadSpec => ({ url: url(port), body: ME_WITH_ADDRESSES, headers: bearer, connections: CONNECTIONS, durationSeconds: SECONDS });
  const subgraphsOf = { auth: pid(auth), users: pid(usersProcess) };
  const s2 = await interleave({
    meridian: async () => ({ spec: spec2(ports.router), watched: { gateway: pid(router), ...subgraphsOf } }),
    stock: async () => ({ spec: spec2(ports.stock), watched: { gateway: pid(stock), ...subgraphsOf } }),
    hive: async () => ({ spec: spec2(ports.hive), watched: { gateway: pid(hive), ...subgraphsOf } }),
    'hive-rust': async () => ({ spec: spec2(ports.hiveRust), watched: { gateway: pid(hiveRust), ...subgraphsOf } }),
  });
  // The same with a distinct user's token on every request: no gateway can share a subgraph call.
  const distinct = await Promise.all(Array.from({ length: smoke ? 500 : quick ? 3_000 : 20_000 }, (_, index) => mint(users[index % users.length]!.id)));
  const distinctHeaders = distinct.map((jwt) => ({ authorization: `Bearer ${jwt}` }));
  const spec2b = (port: number): LoadSpec => ({ ...spec2(port), headers: {}, headerSets: distinctHeaders });
  const s2b = await interleave({
    meridian: async () => ({ spec: spec2b(ports.router), watched: { gateway: pid(router), ...subgraphsOf } }),
    stock: async () => ({ spec: spec2b(ports.stock), watched: { gateway: pid(stock), ...subgraphsOf } }),
    hive: async () => ({ spec: spec2b(ports.hive), watched: { gateway: pid(hive), ...subgraphsOf } }),
    'hive-rust': async () => ({ spec: spec2b(ports.hiveRust), watched: { gateway: pid(hiveRust), ...subgraphsOf } }),
  });
  results.scenario2 = s2;
  results.scenario2distinct = s2b;

  // 3. _entities for N users, counted statement by statement (a users service in this process).
  log('scenario 3: _entities for N users');
  const statements: string[] = [];
  const countingPool = createPool(databaseUrl, { max: 4, onStatement: (statement) => statements.push(statement) });
  const commonConfig = readCommonConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, HOST: '127.0.0.1', ROUTER_JWKS: common.ROUTER_JWKS });
  const inProcessUsers = await startUsersService({
    common: commonConfig,
    config: { ...readUsersConfig({}), port: 0 },
    sql: countingPool,
    logger: createLogger({ service: 'bench-users', level: 'silent' }),
    routerKeys: await resolveRouterVerificationKeys(commonConfig, { ROUTER_JWKS: common.ROUTER_JWKS }),
  });
  const adminToken = await mint(user.id, ['customer', 'admin']);
  const entitiesQuery = `query($representations: [_Any!]!) { _entities(representations: $representations) {
    ... on User { id profile { displayName } addresses { id city } defaultShippingAddress { id } } } }`;
  const s3: Record<string, { p50Ms: number; statementsPerRequest: number; entities: number }> = {};
  const s3sizes = [1, 10, 100, 1000].filter((size) => size <= USERS);
  let s3profile: { n: number; requests: number; ms: CpuBreakdown } | undefined;
  for (const n of s3sizes) {
    const headers = { 'content-type': 'application/json', ...(await directHeaders('users', adminToken)) };
    const body = JSON.stringify({ query: entitiesQuery, variables: { representations: users.slice(0, n).map(({ id }) => ({ __typename: 'User', id })) } });
    const timings: number[] = [];
    const samples = smoke ? 2 : quick ? 5 : 20;
    let entities = 0;
    // One request first: the first execution of a statement also prepares it.
    await fetch(`${inProcessUsers.url}/graphql`, { method: 'POST', headers, body });
    statements.length = 0;
    for (let sample = 0; sample < samples; sample += 1) {
      const started = performance.now();
      const response = await fetch(`${inProcessUsers.url}/graphql`, { method: 'POST', headers, body });
      const answer = (await response.json()) as { data?: { _entities: unknown[] } };
      if (!answer.data) throw new Error(`_entities for ${n} users answered ${response.status} ${JSON.stringify(answer).slice(0, 300)}`);
      entities = answer.data._entities.length;
      timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    s3[String(n)] = { p50Ms: timings[Math.floor(timings.length / 2)]!, statementsPerRequest: statements.length / samples, entities };
    // Where the time of the largest batch goes: a CPU profile of this process (service and client) over as many more requests.
    if (n === s3sizes.at(-1)) {
      const ms = await profileCpu(async () => {
        for (let sample = 0; sample < samples; sample += 1) await (await fetch(`${inProcessUsers.url}/graphql`, { method: 'POST', headers, body })).json();
      });
      s3profile = { n, requests: samples, ms };
    }
  }
  await inProcessUsers.close();
  await countingPool.end();
  results.scenario3 = s3;
  results.scenario3profile = s3profile;

  // 4. Logins against the bound argon2 sets.
  log('scenario 4: argon2 bound and logins through the router');
  // The bound the auth service sets: its own hashing concurrency (PASSWORD_HASH_CONCURRENCY's default here).
  const hashConcurrency = readAuthConfig(process.env).passwordHashConcurrency;
  const hashSeconds = smoke ? 0.5 : quick ? 2 : 5;
  let hashes = 0;
  const hashUntil = Date.now() + hashSeconds * 1000;
  await Promise.all(
    Array.from({ length: hashConcurrency }, async () => {
      while (Date.now() < hashUntil) {
        await argon2.hash(BENCH_PASSWORD, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
        hashes += 1;
      }
    }),
  );
  const hashRate = hashes / hashSeconds;
  const loginSpec: LoadSpec = { url: url(ports.router), body: LOGIN, connections: 8, durationSeconds: SECONDS };
  const s4 = await interleave({ login: async () => ({ spec: loginSpec, watched: { router: pid(router), auth: pid(auth) } }) });
  results.scenario4 = { hashConcurrency, hashesPerSecond: hashRate, logins: s4.login, fractionOfBound: s4.login!.requestsPerSecond / hashRate };

  // 5. `me` latency while a login storm runs.
  log('scenario 5: me p99 idle and during a login storm');
  // 200 req/s of `me` gives enough samples for a stable p99; idle and storm runs alternate.
  const meLight: LoadSpec = { url: url(ports.router), body: ME, headers: bearer, connections: 4, durationSeconds: SECONDS, overallRate: 200 };
  const quiet: LoadResult[] = [];
  const stormy: LoadResult[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    quiet.push(await runLoad(meLight, {}));
    const [meDuringStorm] = await Promise.all([runLoad(meLight, {}), runLoad({ ...loginSpec, connections: 16 }, {})]);
    stormy.push(meDuringStorm);
  }
  const idle = combine(quiet);
  const storm = combine(stormy);
  results.scenario5 = { idle, storm, p99Ratio: storm.p99Ms / idle.p99Ms };

  // 6. A distinct valid token on every request: no cache can hide verification.
  log('scenario 6: a distinct JWT per request');
  const s6 = await interleave({
    sameToken: async () => ({ spec: { url: url(ports.router), body: ME, headers: bearer, connections: CONNECTIONS, durationSeconds: SECONDS }, watched: watched1 }),
    distinctTokens: async () => ({
      spec: { url: url(ports.router), body: ME, headerSets: distinctHeaders, connections: CONNECTIONS, durationSeconds: SECONDS },
      watched: watched1,
    }),
  });
  results.scenario6 = s6;

  // 7. A page of 100 prices converted to yen and written for a German reader.
  log('scenario 7: 100 prices converted and formatted');
  const prices = JSON.stringify({
    query: 'query($amounts: [String!]!) { convertAll(amounts: $amounts, from: EUR, to: JPY) { ... on Conversions { rate { id asOf } items { converted { amount formatted } } } } }',
    variables: { amounts: Array.from({ length: 100 }, (_, index) => `${index + 1}.99`) },
  });
  const pricesCheck = (await (await fetch(url(ports.router), { method: 'POST', headers: { 'content-type': 'application/json', 'x-meridian-locale': 'de' }, body: prices })).json()) as {
    data?: { convertAll?: { items?: { converted: { formatted: string } }[] } };
    extensions?: { context?: { locale?: string } };
  };
  if (pricesCheck.data?.convertAll?.items?.length !== 100 || pricesCheck.extensions?.context?.locale !== 'de') throw new Error(`convertAll answered ${JSON.stringify(pricesCheck).slice(0, 300)}`);
  const s7 = await interleave({
    prices: async () => ({
      spec: { url: url(ports.router), body: prices, headers: { 'x-meridian-locale': 'de' }, connections: CONNECTIONS, durationSeconds: SECONDS },
      watched: { router: pid(router), localization: pid(localization) },
    }),
  });
  results.scenario7 = s7;

  // 8. A category page: 50 products with their price in the request's currency and their variants' availability.
  log('scenario 8: a category page of 50 products through four gateways');
  const demo = demoCatalog(PRODUCTS);
  // "Tents" (a leaf: a tenth of the catalog), newest first.
  const tents = demo.categories.find((category) => category.slugs.en === 'tents')!.id;
  const categoryPageQuery = `query($filter: ProductFilter, $first: Int) { products(filter: $filter, sort: NEWEST, first: $first) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id name { value } slug { value } fromPrice { money { amount formatted } isConverted } images { url width height }
      variants { id sku availability { inStock lowStock } } } } } }`;
  const categoryPage = (first: number) => JSON.stringify({ query: categoryPageQuery, variables: { filter: { categoryId: tents }, first } });
  const germanEuro = { 'x-meridian-locale': 'de', 'x-meridian-currency': 'EUR' };
  const fallbackPages: Record<string, unknown> = {};
  for (const [name, target] of [
    ['router', url(ports.router)],
    ['stock', url(ports.stock)],
    ['hive', url(ports.hive)],
    ['hive-rust', url(ports.hiveRust)],
  ] as const) {
    const response = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...germanEuro }, body: categoryPage(50) });
    const body = (await response.json()) as { data?: { products?: { edges?: { node: { variants: { availability: unknown }[] } }[] } } };
    const edges = body.data?.products?.edges ?? [];
    if (edges.length !== Math.min(50, PRODUCTS / 10) || !edges.every((edge) => edge.node.variants.every((variant) => variant.availability))) {
      throw new Error(`${name} answered the category page with ${JSON.stringify(body).slice(0, 300)}`);
    }
    if (name !== 'router') fallbackPages[name] = body.data;
  }
  // The router's page is in German; the others' in the fallback, alike.
  expectSameData('the category page', fallbackPages);
  const subgraphsOf8 = { catalog: pid(catalog), inventory: pid(inventory) };
  const spec8 = (port: number): LoadSpec => ({ url: url(port), body: categoryPage(50), headers: germanEuro, connections: CONNECTIONS, durationSeconds: SECONDS });
  const s8 = await interleave({
    meridian: async () => ({ spec: spec8(ports.router), watched: { gateway: pid(router), ...subgraphsOf8 } }),
    stock: async () => ({ spec: spec8(ports.stock), watched: { gateway: pid(stock), ...subgraphsOf8 } }),
    hive: async () => ({ spec: spec8(ports.hive), watched: { gateway: pid(hive), ...subgraphsOf8 } }),
    'hive-rust': async () => ({ spec: spec8(ports.hiveRust), watched: { gateway: pid(hiveRust), ...subgraphsOf8 } }),
  });
  // SQL statements per page in each subgraph, counted on in-process services sent exactly what the router sends them.
  const catalogStatements: string[] = [];
  const inventoryStatements: string[] = [];
  const catalogPool = createPool(databaseUrl, { max: 4, onStatement: (statement) => catalogStatements.push(statement) });
  const inventoryPool = createPool(databaseUrl, { max: 4, onStatement: (statement) => inventoryStatements.push(statement) });
  const silent = createLogger({ service: 'bench-catalog', level: 'silent' });
  const routerVerification = await resolveRouterVerificationKeys(commonConfig, { ROUTER_JWKS: common.ROUTER_JWKS });
  const inProcessCatalog = await startCatalogService({
    common: commonConfig,
    config: { ...readCatalogConfig({}), port: 0 },
    sql: catalogPool,
    logger: silent,
    routerKeys: routerVerification,
    routerUrl: () => url(ports.router),
  });
  const inProcessInventory = await startInventoryService({
    common: commonConfig,
    config: { ...readInventoryConfig({}), port: 0 },
    sql: inventoryPool,
    logger: silent,
    routerKeys: routerVerification,
  });
  const subgraphHeaders = (subgraph: string) => ({
    'content-type': 'application/json',
    [ROUTER_TOKEN_HEADER]: signRouterToken({ subgraph, caller: undefined, client: { ip: null, userAgent: null }, localization: { locale: 'de', currency: 'EUR' } }),
  });
  const catalogPart = `query($filter: ProductFilter, $first: Int) { products(filter: $filter, sort: NEWEST, first: $first) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name { value } slug { value } fromPrice { money { amount formatted } isConverted }
    images { url width height } variants { id sku } } } } }`;
  const s8statements: Record<string, { catalog: number; inventory: number }> = {};
  for (const first of [10, 50]) {
    const post = async (target: string, subgraph: string, body: unknown) => {
      const response = await fetch(`${target}/graphql`, { method: 'POST', headers: subgraphHeaders(subgraph), body: JSON.stringify(body) });
      return (await response.json()) as { data?: Record<string, unknown> };
    };
    // Once first, so that each statement is prepared before it is counted.
    await post(inProcessCatalog.url, 'catalog', { query: catalogPart, variables: { filter: { categoryId: tents }, first } });
    catalogStatements.length = 0;
    const page = await post(inProcessCatalog.url, 'catalog', { query: catalogPart, variables: { filter: { categoryId: tents }, first } });
    const variantIds = ((page.data?.products as { edges: { node: { variants: { id: string }[] } }[] }).edges ?? []).flatMap((edge) => edge.node.variants.map((variant) => variant.id));
    const availability = { query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on ProductVariant { availability { inStock lowStock } } } }', variables: { r: variantIds.map((id) => ({ __typename: 'ProductVariant', id })) } };
    await post(inProcessInventory.url, 'inventory', availability);
    inventoryStatements.length = 0;
    await post(inProcessInventory.url, 'inventory', availability);
    s8statements[String(first)] = { catalog: catalogStatements.length, inventory: inventoryStatements.length };
  }
  await inProcessCatalog.close();
  await inProcessInventory.close();
  await inventoryPool.end();
  results.scenario8 = { products: PRODUCTS, arms: s8, statements: s8statements };

  // 9. Search over the whole catalog: words, a typo, another language; latency one request at a time, then throughput.
  log(`scenario 9: search over ${PRODUCTS} products`);
  const searches: { text: string; locale: string }[] = [
    { text: 'moutain bike', locale: 'en' },
    { text: 'Kestrel tent', locale: 'en' },
    { text: 'rain jaket', locale: 'en' },
    { text: 'Regenjacke Nimbus', locale: 'de' },
    { text: 'sac à dos', locale: 'fr' },
    { text: 'bicicleta plegable', locale: 'es' },
    { text: 'Alpina Summit 100', locale: 'en' },
    { text: 'wanderschue', locale: 'de' },
  ];
  const searchQuery = 'query($filter: ProductFilter) { products(filter: $filter, first: 20) { totalCount edges { node { id name { value } fromPrice { money { formatted } } } } } }';
  const searchBody = (text: string) => JSON.stringify({ query: searchQuery, variables: { filter: { search: text } } });
  const searchTimings: number[] = [];
  const perSearch: Record<string, { totalCount: number; p50Ms: number }> = {};
  const samples9 = smoke ? 2 : quick ? 10 : 40;
  for (const search of searches) {
    const headers = { 'content-type': 'application/json', 'x-meridian-locale': search.locale };
    const timings: number[] = [];
    let totalCount = 0;
    for (let sample = 0; sample <= samples9; sample += 1) {
      const started = performance.now();
      const response = await fetch(url(ports.router), { method: 'POST', headers, body: searchBody(search.text) });
      const answer = (await response.json()) as { data?: { products?: { totalCount: number } } };
      if (!answer.data?.products) throw new Error(`search ${search.text} answered ${JSON.stringify(answer).slice(0, 300)}`);
      totalCount = answer.data.products.totalCount;
      // The first request of each text also plans its statement: left out.
      if (sample > 0) timings.push(performance.now() - started);
    }
    searchTimings.push(...timings);
    timings.sort((a, b) => a - b);
    perSearch[`${search.text} (${search.locale})`] = { totalCount, p50Ms: timings[Math.floor(timings.length / 2)]! };
  }
  searchTimings.sort((a, b) => a - b);
  const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
  const s9load = await interleave({
    search: async () => ({
      spec: { url: url(ports.router), body: searchBody('moutain bike'), connections: CONNECTIONS, durationSeconds: SECONDS },
      watched: { router: pid(router), catalog: pid(catalog) },
    }),
  });
  const plans: Record<string, string> = {};
  for (const search of [searches[0]!, searches[3]!]) {
    const chain = search.locale === 'en' ? ['en'] : [search.locale, 'en'];
    plans[`${search.text} (${search.locale})`] = (await explainProductPage(catalogPool, { filter: { search: search.text }, first: 20 }, { chain, currency: 'EUR' })).join('\n');
  }
  plans['category page (Tents, newest first)'] = (await explainProductPage(catalogPool, { filter: { categoryId: tents }, sort: 'NEWEST', first: 50 }, { chain: ['de', 'en'], currency: 'EUR' })).join('\n');
  await catalogPool.end();
  const seqScans = Object.values(plans).filter((plan) => /Seq Scan on (products|product_translations|variants|variant_prices)\b/.test(plan)).length;
  results.scenario9 = { products: PRODUCTS, p50Ms: percentile(searchTimings, 0.5), p99Ms: percentile(searchTimings, 0.99), perSearch, load: s9load.search, plans, seqScans };

  // 10. The cart: addToCart and a cart read, through four gateways. Guest carts (a token, no context headers) work through any gateway.
  log('scenario 10: addToCart and a cart read through four gateways');
  type GraphAnswer = { data?: Record<string, Record<string, unknown> | null>; errors?: unknown[] };
  const graphql = async (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GraphAnswer> => {
    const response = await fetch(url(ports.router), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as GraphAnswer;
  };
  /** Runs `task` for every item, `width` at a time. */
  const inBatches = async <T, R>(items: T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> => {
    const done: R[] = new Array<R>(items.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: width }, async () => {
        while (next < items.length) {
          const index = next++;
          done[index] = await task(items[index]!);
        }
      }),
    );
    return done;
  };
  const euro = { 'x-meridian-currency': 'EUR' };
  const inStock = await graphql('{ products(filter: { inStock: true }, first: 100) { edges { node { variants { id availability { inStock } } } } } }', {}, euro);
  const shopVariants = ((inStock.data?.products as { edges: { node: { variants: { id: string; availability: { inStock: boolean } }[] } }[] } | undefined)?.edges ?? [])
    .map((edge) => edge.node.variants.find((variant) => variant.availability.inStock)?.id)
    .filter((id): id is string => id !== undefined);
  if (shopVariants.length < 75) throw new Error(`only ${shopVariants.length} variants in stock: ${JSON.stringify(inStock).slice(0, 300)}`);
  // 8 variants for the adds, 3 for the read carts, the rest (two a cart) for the checkouts.
  const addVariants = shopVariants.slice(0, 8);
  const readVariants = shopVariants.slice(8, 11);
  const checkoutVariants = shopVariants.slice(11, smoke ? 19 : 75);
  const locations = await graphql('{ stockLocations { id code } }', {}, { authorization: `Bearer ${adminToken}` });
  const central = (locations.data?.stockLocations as unknown as { id: string; code: string }[]).find((location) => location.code === 'central')!.id;
  // Enough units that no add and no checkout of the run is refused for stock (checkouts hold theirs until the payment window closes).
  await inBatches([...addVariants, ...readVariants, ...checkoutVariants], 16, async (variantId) => {
    const received = await graphql('mutation($input: ReceiveStockInput!) { receiveStock(input: $input) { __typename } }', { input: { variantId, locationId: central, quantity: 100_000 } }, {
      authorization: `Bearer ${adminToken}`,
    });
    if (received.data?.receiveStock?.__typename !== 'StockLevelChanged') throw new Error(`receiveStock answered ${JSON.stringify(received).slice(0, 300)}`);
  });
  const ADD_TO_CART = `mutation($cartId: ID, $cartToken: String, $variantId: ID!, $quantity: Int!) { addToCart(cartId: $cartId, cartToken: $cartToken, variantId: $variantId, quantity: $quantity) {
    __typename ... on CartLineAdded { cartToken line { id quantity } cart { id itemCount subtotal { amount } } } ... on UserError { code message } } }`;
  const READ_CART = `query($cartId: ID!, $cartToken: String) { cart(cartId: $cartId, cartToken: $cartToken) {
    lines { variant { id } quantity unitPrice { amount } lineTotal { amount } } subtotal { amount } total { amount } } }`;
  interface GuestCart {
    cartId: string;
    cartToken: string;
  }
  const addLine = async (existing: GuestCart | undefined, variantId: string): Promise<GuestCart> => {
    const answer = await graphql(ADD_TO_CART, { ...existing, variantId, quantity: 1 }, euro);
    const added = answer.data?.addToCart as { __typename: string; cartToken: string | null; cart: { id: string } } | undefined;
    if (added?.__typename !== 'CartLineAdded') throw new Error(`addToCart answered ${JSON.stringify(answer).slice(0, 300)}`);
    return existing ?? { cartId: added.cart.id, cartToken: added.cartToken! };
  };
  /** A guest cart with one unit of each variant. */
  const guestCart = async (variantIds: string[]): Promise<GuestCart> => {
    let key: GuestCart | undefined;
    for (const variantId of variantIds) key = await addLine(key, variantId);
    return key!;
  };
  // Add n goes to cart n mod P and variant ⌊n / P⌋ mod 8: a cart holds at most 8 lines, and a line reaches 99 units only
  // after 98 × 8 × P adds, far more than any run sends (an add refused with InvalidQuantity would count as an error).
  const addCarts = await inBatches(Array.from({ length: smoke ? 8 : quick ? 64 : 256 }, (_, index) => addVariants[index % addVariants.length]!), 8, (variantId) => guestCart([variantId]));
  const readCarts = await inBatches(Array.from({ length: smoke ? 4 : 64 }, () => readVariants), 8, guestCart);
  let adds = 0;
  const nextAdd = () => {
    const n = adds++;
    const key = addCarts[n % addCarts.length]!;
    return JSON.stringify({ query: ADD_TO_CART, variables: { ...key, variantId: addVariants[Math.floor(n / addCarts.length) % addVariants.length], quantity: 1 } });
  };
  let reads = 0;
  const nextRead = () => JSON.stringify({ query: READ_CART, variables: readCarts[reads++ % readCarts.length] });
  const addAccepted = (body: string) => body.includes('"__typename":"CartLineAdded"') && !body.includes('"errors"');
  const readAccepted = (body: string) => body.includes('"lines":[{') && !body.includes('"errors"');
  for (const [name, target] of [
    ['router', url(ports.router)],
    ['stock', url(ports.stock)],
    ['hive', url(ports.hive)],
    ['hive-rust', url(ports.hiveRust)],
  ] as const) {
    const added = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...euro }, body: nextAdd() });
    const addBody = await added.text();
    const read = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...euro }, body: nextRead() });
    const readBody = await read.text();
    if (!addAccepted(addBody) || !readAccepted(readBody)) throw new Error(`${name} answered the cart with ${addBody.slice(0, 300)} and ${readBody.slice(0, 300)}`);
  }
  const subgraphsOf10 = { cart: pid(cart), catalog: pid(catalog), inventory: pid(inventory) };
  const spec10 = (port: number, nextBody: () => string, accept: (body: string) => boolean): LoadSpec => ({
    url: url(port),
    body: nextBody(),
    nextBody,
    accept,
    headers: euro,
    // The smoke run, without a warm-up, must see answers on every connection.
    connections: smoke ? 4 : CONNECTIONS,
    durationSeconds: SECONDS,
  });
  const s10add = await interleave({
    meridian: async () => ({ spec: spec10(ports.router, nextAdd, addAccepted), watched: { gateway: pid(router), ...subgraphsOf10 } }),
    stock: async () => ({ spec: spec10(ports.stock, nextAdd, addAccepted), watched: { gateway: pid(stock), ...subgraphsOf10 } }),
    hive: async () => ({ spec: spec10(ports.hive, nextAdd, addAccepted), watched: { gateway: pid(hive), ...subgraphsOf10 } }),
    'hive-rust': async () => ({ spec: spec10(ports.hiveRust, nextAdd, addAccepted), watched: { gateway: pid(hiveRust), ...subgraphsOf10 } }),
  });
  const s10read = await interleave({
    meridian: async () => ({ spec: spec10(ports.router, nextRead, readAccepted), watched: { gateway: pid(router), ...subgraphsOf10 } }),
    stock: async () => ({ spec: spec10(ports.stock, nextRead, readAccepted), watched: { gateway: pid(stock), ...subgraphsOf10 } }),
    hive: async () => ({ spec: spec10(ports.hive, nextRead, readAccepted), watched: { gateway: pid(hive), ...subgraphsOf10 } }),
    'hive-rust': async () => ({ spec: spec10(ports.hiveRust, nextRead, readAccepted), watched: { gateway: pid(hiveRust), ...subgraphsOf10 } }),
  });
  const addCapacity = addCarts.length * addVariants.length * 98;
  if (adds > addCapacity) throw new Error(`${adds} adds went to carts that hold ${addCapacity}: more carts are needed`);
  results.scenario10 = { connections: smoke ? 4 : CONNECTIONS, addCarts: addCarts.length, readCarts: readCarts.length, linesPerReadCart: readVariants.length, adds, addToCart: s10add, read: s10read };

  // 11. Checkouts through the router: guest carts with two lines, an address in Berlin and standard shipping, each checked out once.
  const CHECKOUT_CONNECTIONS = smoke ? 4 : CONNECTIONS;
  const checkoutsPerRound = smoke ? 4 : quick ? 200 : 1_000;
  const checkoutWarmUp = WARM_UP_SECONDS > 0 ? 4 * CHECKOUT_CONNECTIONS : 0;
  const countedCheckouts = smoke ? 2 : 10;
  // autocannon builds each connection's next request ahead, one more per connection and run than it sends.
  const checkoutCartCount = checkoutWarmUp + ROUNDS * checkoutsPerRound + (ROUNDS + 1) * CHECKOUT_CONNECTIONS + 1 + countedCheckouts;
  log(`scenario 11: ${ROUNDS} × ${checkoutsPerRound} checkouts at ${CHECKOUT_CONNECTIONS} connections (${checkoutCartCount} carts prepared)`);
  const berlin = { fullName: 'Bench Shopper', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', countryCode: 'DE' };
  const prepareStarted = Date.now();
  const checkoutCarts = await inBatches(
    Array.from({ length: checkoutCartCount }, (_, index) => index),
    CONNECTIONS,
    async (index) => {
      const pair = [checkoutVariants[index % checkoutVariants.length]!, checkoutVariants[(index + Math.floor(checkoutVariants.length / 2) + 1) % checkoutVariants.length]!];
      const key = await guestCart(pair);
      const ready = await graphql(
        `mutation($cartId: ID!, $cartToken: String, $shipping: CartAddressInput!) { setCartAddresses(cartId: $cartId, cartToken: $cartToken, shipping: $shipping) { __typename }
          setShippingMethod(cartId: $cartId, cartToken: $cartToken, code: "standard") { __typename } }`,
        { ...key, shipping: { address: berlin } },
        euro,
      );
      if (ready.data?.setCartAddresses?.__typename !== 'CartUpdated' || ready.data?.setShippingMethod?.__typename !== 'CartUpdated') throw new Error(`the checkout cart answered ${JSON.stringify(ready).slice(0, 300)}`);
      return key;
    },
  );
  log(`prepared ${checkoutCarts.length} carts in ${((Date.now() - prepareStarted) / 1000).toFixed(1)} s`);
  const CHECKOUT = `mutation($cartId: ID!, $cartToken: String, $idempotencyKey: String!, $email: String) { checkout(cartId: $cartId, cartToken: $cartToken, idempotencyKey: $idempotencyKey, email: $email) {
    __typename ... on CheckoutCompleted { order { id number total { amount } } } ... on UserError { code message } } }`;
  let checkedOut = 0;
  const nextCheckout = () => {
    // Past the prepared carts, a cart is sent again with a new key: answered CartAlreadyOrdered, counted as an error.
    const key = checkoutCarts[checkedOut++ % checkoutCarts.length]!;
    return JSON.stringify({ query: CHECKOUT, variables: { ...key, idempotencyKey: randomUUID(), email: 'shopper@bench.example' } });
  };
  const checkoutAccepted = (body: string) => body.includes('"__typename":"CheckoutCompleted"') && !body.includes('"errors"');
  const watched11 = { gateway: pid(router), orders: pid(orders), cart: pid(cart), inventory: pid(inventory), catalog: pid(catalog) };
  const checkoutSpec = (amount: number): LoadSpec => ({
    url: url(ports.router),
    body: nextCheckout(),
    nextBody: nextCheckout,
    accept: checkoutAccepted,
    amount,
    connections: CHECKOUT_CONNECTIONS,
    durationSeconds: SECONDS,
  });
  if (checkoutWarmUp > 0) await runLoad(checkoutSpec(checkoutWarmUp), watched11);
  const checkoutRuns: LoadResult[] = [];
  for (let round = 0; round < ROUNDS; round += 1) checkoutRuns.push(await runLoad(checkoutSpec(checkoutsPerRound), watched11));
  const s11load = combine(checkoutRuns);
  // SQL statements per checkout in each subgraph, counted as in scenario 8: the four subgraphs a checkout touches run in this
  // process on pools that count, behind a router of their own (auth, users and localization stay the benchmark's processes).
  const counted = { orders: [] as string[], cart: [] as string[], inventory: [] as string[], catalog: [] as string[] };
  const countingPools = Object.fromEntries(
    Object.entries(counted).map(([name, statementsOf]) => [name, createPool(databaseUrl, { max: 4, onStatement: (statement) => statementsOf.push(statement) })]),
  ) as Record<keyof typeof counted, ReturnType<typeof createPool>>;
  let countingRouterUrl = '';
  const inProcess = {
    routerKeys: await resolveRouterVerificationKeys(commonConfig, { ROUTER_JWKS: common.ROUTER_JWKS }),
    accessTokenKeys: localKeyResolver(publicKeySet([authKey!])),
    common: commonConfig,
    logger: createLogger({ service: 'bench-checkout', level: 'silent' }),
    routerUrl: () => countingRouterUrl,
  };
  // Their timed jobs (recovery, expiry sweeps, the availability poll) are put off past the count.
  const [countingOrders, countingCart, countingInventory, countingCatalog] = await Promise.all([
    startOrdersService({ ...inProcess, config: { ...readOrdersConfig({}), port: 0, serviceCredentials: ordersClient.credentials, recoveryIntervalMs: 3_600_000 }, sql: countingPools.orders }),
    startCartService({ ...inProcess, config: { ...readCartConfig({}), port: 0, serviceCredentials: cartClient.credentials }, sql: countingPools.cart }),
    startInventoryService({ ...inProcess, config: { ...readInventoryConfig({}), port: 0, expirySweepMs: 3_600_000 }, sql: countingPools.inventory }),
    startCatalogService({ ...inProcess, config: { ...readCatalogConfig({}), port: 0, availabilityPollMs: 3_600_000 }, sql: countingPools.catalog }),
  ]);
  const countingRouter = await startRouter({
    common: commonConfig,
    config: readRouterConfig({
      ...gatewayEnv,
      PORT: '0',
      PERSISTED_QUERIES: 'off',
      ORDERS_SUBGRAPH_URL: `${countingOrders.url}/graphql`,
      CART_SUBGRAPH_URL: `${countingCart.url}/graphql`,
      INVENTORY_SUBGRAPH_URL: `${countingInventory.url}/graphql`,
      CATALOG_SUBGRAPH_URL: `${countingCatalog.url}/graphql`,
    }),
    logger: inProcess.logger,
    supergraphSdl: await loadSupergraphSdl(),
    signingKeys: [routerKey!],
    accessTokenKeys: inProcess.accessTokenKeys,
  });
  countingRouterUrl = `${countingRouter.url}/graphql`;
  const countedCheckout = async () => {
    const answer = await fetch(countingRouterUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: nextCheckout() });
    const body = await answer.text();
    if (!checkoutAccepted(body)) throw new Error(`a counted checkout answered ${body.slice(0, 300)}`);
  };
  // Once first, so that each statement is prepared (and the service tokens fetched) before it is counted.
  await countedCheckout();
  for (const statementsOf of Object.values(counted)) statementsOf.length = 0;
  for (let index = 0; index < countedCheckouts; index += 1) await countedCheckout();
  const s11statements = Object.fromEntries(Object.entries(counted).map(([name, statementsOf]) => [name, statementsOf.length / countedCheckouts])) as Record<keyof typeof counted, number>;
  await countingRouter.close();
  await Promise.all([countingOrders, countingCart, countingInventory, countingCatalog].map((service) => service.close()));
  await Promise.all(Object.values(countingPools).map((pool) => pool.end()));
  if (checkedOut > checkoutCarts.length) throw new Error(`${checkedOut} checkouts for ${checkoutCarts.length} carts: more carts are needed`);
  results.scenario11 = { connections: CHECKOUT_CONNECTIONS, checkoutsPerRound, countedCheckouts, load: s11load, statements: s11statements };

  // ------------------------------------------------------------------------------------------ report
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot }).toString().trim();
  const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: repoRoot }).toString().trim() !== '';
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
  const meta = { date: new Date().toISOString(), commit: `${commit}${dirty ? '+dirty' : ''}`, quick, smoke, rounds: ROUNDS, secondsPerRun: SECONDS, connections: CONNECTIONS, users: USERS, machine };
  const markdown = renderMarkdown(meta, results);
  console.log(markdown);
  if (!process.argv.includes('--no-save')) {
    const resultsDir = path.join(repoRoot, 'bench', 'results');
    await mkdir(resultsDir, { recursive: true });
    const stem = `${meta.date.replace(/[:.]/g, '-')}-${commit}${quick ? '-quick' : ''}`;
    await writeFile(path.join(resultsDir, `${stem}.md`), markdown);
    await writeFile(path.join(resultsDir, `${stem}.json`), `${JSON.stringify({ meta, results }, null, 2)}\n`);
    log(`wrote bench/results/${stem}.{md,json}`);
  }
} finally {
  await cleanUp();
}

// ------------------------------------------------------------------------------------------ markdown
function renderMarkdown(meta: Record<string, unknown> & { machine: Record<string, unknown> }, results: Record<string, unknown>): string {
  const f = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
  const r = results as {
    scenario1: { full: Record<string, LoadResult>; light: { rate: number } & Record<string, LoadResult> };
    scenario2: Record<string, LoadResult>;
    scenario2distinct: Record<string, LoadResult>;
    scenario3: Record<string, { p50Ms: number; statementsPerRequest: number; entities: number }>;
    scenario3profile?: { n: number; requests: number; ms: CpuBreakdown };
    scenario4: { hashConcurrency: number; hashesPerSecond: number; logins: LoadResult; fractionOfBound: number };
    scenario5: { idle: LoadResult; storm: LoadResult; p99Ratio: number };
    scenario6: Record<string, LoadResult>;
    scenario7: Record<string, LoadResult>;
    scenario8: { products: number; arms: Record<string, LoadResult>; statements: Record<string, { catalog: number; inventory: number }> };
    scenario9: { products: number; p50Ms: number; p99Ms: number; perSearch: Record<string, { totalCount: number; p50Ms: number }>; load: LoadResult; plans: Record<string, string>; seqScans: number };
    scenario10: { connections: number; addCarts: number; readCarts: number; linesPerReadCart: number; adds: number; addToCart: Record<string, LoadResult>; read: Record<string, LoadResult> };
    scenario11: { connections: number; checkoutsPerRound: number; countedCheckouts: number; load: LoadResult; statements: Record<string, number> };
  };
  const s1 = r.scenario1.full;
  // The subgraph's cost of serving a request itself (the direct arm): through the router, identical
  // concurrent queries are deduplicated, so the subgraph's share per client request is smaller.
  const routerCpu = s1.router!.cpuMsPerRequest.router!;
  const subgraphCpu = s1.direct!.cpuMsPerRequest.auth!;
  const cpuRatio = routerCpu / subgraphCpu;
  const addedP50 = r.scenario1.light.router!.p50Ms - r.scenario1.light.direct!.p50Ms;
  const s2 = r.scenario2;
  const vsStock = s2.meridian!.requestsPerSecond / s2.stock!.requestsPerSecond;
  const vsHive = s2.meridian!.requestsPerSecond / s2.hive!.requestsPerSecond;
  const vsHiveRust = s2.meridian!.requestsPerSecond / s2['hive-rust']!.requestsPerSecond;
  const distinctVsHiveRust = r.scenario2distinct.meridian!.requestsPerSecond / r.scenario2distinct['hive-rust']!.requestsPerSecond;
  // Issue 14's headline: a distinct token per request, where nothing can be shared.
  const d2 = r.scenario2distinct;
  const distinctVsStock = d2.meridian!.requestsPerSecond / d2.stock!.requestsPerSecond;
  const distinctVsHive = d2.meridian!.requestsPerSecond / d2.hive!.requestsPerSecond;
  const distinctCpu = d2.meridian!.cpuMsPerRequest;
  const largestN = Object.keys(r.scenario3).at(-1)!;
  const statementCounts = Object.values(r.scenario3).map((row) => row.statementsPerRequest);
  const constant = statementCounts.every((count) => count === statementCounts[0]);
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const cartTable = (arms: Record<string, LoadResult>) => [
    '| gateway | req/s | p50 ms | p99 ms | gateway CPU-ms/req | cart CPU-ms/req | catalog CPU-ms/req | inventory CPU-ms/req | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...Object.entries(arms).map(
      ([name, x]) =>
        `| ${name} | ${f(x.requestsPerSecond, 0)} | ${f(x.p50Ms)} | ${f(x.p99Ms)} | ${f(x.cpuMsPerRequest.gateway!, 3)} | ${f(x.cpuMsPerRequest.cart!, 3)} | ${f(x.cpuMsPerRequest.catalog!, 3)} | ${f(x.cpuMsPerRequest.inventory!, 3)} | ${x.errors} |`,
    ),
  ];
  const lines = [
    `## Meridian benchmark${meta.smoke ? ' (smoke: every arm answers, the figures say nothing)' : meta.quick ? ' (quick)' : ''}`,
    '',
    `${meta.date} · commit ${meta.commit} · ${meta.machine.cores} × ${meta.machine.cpu}, ${meta.machine.memoryGiB} GiB · Node ${meta.machine.node} · ` +
      `${meta.smoke ? 'one request on each of up to 4 connections per arm, the subgraphs and the router in one process' : `${meta.rounds} interleaved round(s) of ${meta.secondsPerRun} s per arm, ${meta.connections} connections`}, ${meta.users} seeded users`,
    '',
    '### 1. `me { id email }`: auth subgraph direct vs Meridian router',
    '',
    '| arm | req/s | p50 ms | p99 ms | router CPU-ms/req | auth CPU-ms/req | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...Object.entries(s1).map(([name, x]) => `| ${name} | ${f(x.requestsPerSecond, 0)} | ${f(x.p50Ms)} | ${f(x.p99Ms)} | ${f(x.cpuMsPerRequest.router!, 3)} | ${f(x.cpuMsPerRequest.auth!, 3)} | ${x.errors} |`),
    '',
    `Router CPU per request (router arm) ÷ subgraph CPU per request (direct arm): **${f(cpuRatio)}**. At ${r.scenario1.light.rate} req/s (20% of capacity): p50 direct ${f(r.scenario1.light.direct!.p50Ms)} ms, through the router ${f(r.scenario1.light.router!.p50Ms)} ms, added **${f(addedP50)} ms**.`,
    '',
    '### 2. `me { email addresses { … } }` (two subgraphs) through four gateways',
    '',
    '| gateway | req/s | p50 ms | p99 ms | gateway CPU-ms/req | auth CPU-ms/req | users CPU-ms/req | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...Object.entries(s2).map(
      ([name, x]) =>
        `| ${name} | ${f(x.requestsPerSecond, 0)} | ${f(x.p50Ms)} | ${f(x.p99Ms)} | ${f(x.cpuMsPerRequest.gateway!, 3)} | ${f(x.cpuMsPerRequest.auth!, 3)} | ${f(x.cpuMsPerRequest.users!, 3)} | ${x.errors} |`,
    ),
    '',
    `Meridian ÷ stock @apollo/gateway: **${f(vsStock)}×**; Meridian ÷ @graphql-hive/gateway: **${f(vsHive)}×**; Meridian ÷ @graphql-hive/gateway with the Rust query planner (hive-rust): **${f(vsHiveRust)}×**. ` +
      'Every request carries the same token here, so identical concurrent subgraph calls can be shared (Meridian and Hive do).',
    '',
    'With a distinct user\'s token on every request (nothing can be shared):',
    '',
    '| gateway | req/s | p50 ms | p99 ms | gateway CPU-ms/req | auth CPU-ms/req | users CPU-ms/req | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...Object.entries(r.scenario2distinct).map(
      ([name, x]) =>
        `| ${name} | ${f(x.requestsPerSecond, 0)} | ${f(x.p50Ms)} | ${f(x.p99Ms)} | ${f(x.cpuMsPerRequest.gateway!, 3)} | ${f(x.cpuMsPerRequest.auth!, 3)} | ${f(x.cpuMsPerRequest.users!, 3)} | ${x.errors} |`,
    ),
    '',
    `Meridian ÷ stock: **${f(r.scenario2distinct.meridian!.requestsPerSecond / r.scenario2distinct.stock!.requestsPerSecond)}×**; ` +
      `Meridian ÷ Hive: **${f(r.scenario2distinct.meridian!.requestsPerSecond / r.scenario2distinct.hive!.requestsPerSecond)}×**; ` +
      `Meridian ÷ Hive with the Rust query planner: **${f(distinctVsHiveRust)}×**.`,
    '',
    '### 3. `_entities` for N users with profile and addresses (users subgraph)',
    '',
    '| N | entities | p50 ms | SQL statements per request |',
    '| ---: | ---: | ---: | ---: |',
    ...Object.entries(r.scenario3).map(([n, x]) => `| ${n} | ${x.entities} | ${f(x.p50Ms)} | ${f(x.statementsPerRequest, 1)} |`),
    '',
    ...(r.scenario3profile ? [whereTheTimeGoes(r.scenario3profile), ''] : []),
    '### 4. Logins vs the argon2 bound',
    '',
    `argon2id (m=19456, t=2, p=1), ${r.scenario4.hashConcurrency} at a time in one process: **${f(r.scenario4.hashesPerSecond, 1)} hashes/s**. ` +
      `Logins through the router: **${f(r.scenario4.logins.requestsPerSecond, 1)}/s** (p50 ${f(r.scenario4.logins.p50Ms)} ms, p99 ${f(r.scenario4.logins.p99Ms)} ms, ${r.scenario4.logins.errors} errors), ` +
      `**${f(r.scenario4.fractionOfBound * 100, 0)}%** of the bound.`,
    '',
    '### 5. `me` during a login storm',
    '',
    `p99 idle ${f(r.scenario5.idle.p99Ms)} ms (p50 ${f(r.scenario5.idle.p50Ms)}), during 16 connections of logins ${f(r.scenario5.storm.p99Ms)} ms (p50 ${f(r.scenario5.storm.p50Ms)}): **${f(r.scenario5.p99Ratio)}×**.`,
    '',
    '### 6. A distinct valid JWT on every request',
    '',
    '| arm | req/s | p50 ms | p99 ms | router CPU-ms/req | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...Object.entries(r.scenario6).map(([name, x]) => `| ${name} | ${f(x.requestsPerSecond, 0)} | ${f(x.p50Ms)} | ${f(x.p99Ms)} | ${f(x.cpuMsPerRequest.router!, 3)} | ${x.errors} |`),
    '',
    '### 7. 100 prices converted (EUR → JPY, ECB rate) and formatted for a German reader',
    '',
    '| arm | req/s | p50 ms | p99 ms | router CPU-ms/req | localization CPU-ms/req | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...Object.entries(r.scenario7).map(
      ([name, x]) => `| ${name} | ${f(x.requestsPerSecond, 0)} | ${f(x.p50Ms)} | ${f(x.p99Ms)} | ${f(x.cpuMsPerRequest.router!, 3)} | ${f(x.cpuMsPerRequest.localization!, 3)} | ${x.errors} |`,
    ),
    '',
    `### 8. A category page: 50 of ${r.scenario8.products} products with price (German, euros) and availability, through four gateways`,
    '',
    '| gateway | req/s | p50 ms | p99 ms | gateway CPU-ms/req | catalog CPU-ms/req | inventory CPU-ms/req | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...Object.entries(r.scenario8.arms).map(
      ([name, x]) =>
        `| ${name} | ${f(x.requestsPerSecond, 0)} | ${f(x.p50Ms)} | ${f(x.p99Ms)} | ${f(x.cpuMsPerRequest.gateway!, 3)} | ${f(x.cpuMsPerRequest.catalog!, 3)} | ${f(x.cpuMsPerRequest.inventory!, 3)} | ${x.errors} |`,
    ),
    '',
    'The stock and Hive gateways carry no locale or currency to the subgraphs: they are answered in the fallback (English, euros).',
    '',
    '| page size | catalog SQL statements | inventory SQL statements |',
    '| ---: | ---: | ---: |',
    ...Object.entries(r.scenario8.statements).map(([size, x]) => `| ${size} | ${x.catalog} | ${x.inventory} |`),
    '',
    `### 9. Search over ${r.scenario9.products} products`,
    '',
    `One request at a time through the router: p50 **${f(r.scenario9.p50Ms)} ms**, p99 **${f(r.scenario9.p99Ms)} ms**. ` +
      `Under ${meta.connections} connections ("moutain bike"): ${f(r.scenario9.load.requestsPerSecond, 0)} req/s, p50 ${f(r.scenario9.load.p50Ms)} ms, p99 ${f(r.scenario9.load.p99Ms)} ms, ${r.scenario9.load.errors} errors.`,
    '',
    '| search (locale) | matches | p50 ms |',
    '| --- | ---: | ---: |',
    ...Object.entries(r.scenario9.perSearch).map(([text, x]) => `| ${text} | ${x.totalCount} | ${f(x.p50Ms)} |`),
    '',
    ...Object.entries(r.scenario9.plans).flatMap(([name, plan]) => [`Query plan, ${name}:`, '', '```', plan, '```', '']),
    `### 10. The cart: \`addToCart\` and a cart read (guest carts) through four gateways, ${r.scenario10.connections} connections`,
    '',
    `\`addToCart\` (one unit, answering the line and the cart's item count and subtotal), to ${r.scenario10.addCarts} guest carts in turn:`,
    '',
    ...cartTable(r.scenario10.addToCart),
    '',
    `\`cart(cartId:, cartToken:)\` with its lines, prices and totals, ${r.scenario10.readCarts} guest carts of ${r.scenario10.linesPerReadCart} lines in turn:`,
    '',
    ...cartTable(r.scenario10.read),
    '',
    'Every cart read and every add asks the catalog for the current prices through the router; an add also asks the inventory for the exact stock. ' +
      'The stock and Hive gateways carry no locale or currency (the carts are in euros either way).',
    '',
    `### 11. Checkout through the router: ${r.scenario11.checkoutsPerRound} guest carts (two lines, an address in Berlin, standard shipping) per round at ${r.scenario11.connections} connections`,
    '',
    '| arm | checkouts/s | p50 ms | p99 ms | router CPU-ms/checkout | orders CPU-ms/checkout | cart CPU-ms/checkout | inventory CPU-ms/checkout | catalog CPU-ms/checkout | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| router | ${f(r.scenario11.load.requestsPerSecond, 1)} | ${f(r.scenario11.load.p50Ms)} | ${f(r.scenario11.load.p99Ms)} | ${['gateway', 'orders', 'cart', 'inventory', 'catalog']
      .map((name) => f(r.scenario11.load.cpuMsPerRequest[name]!, 3))
      .join(' | ')} | ${r.scenario11.load.errors} |`,
    '',
    `Each checkout with an idempotency key of its own; an answer other than \`CheckoutCompleted\` counts as an error. SQL statements per checkout, over ${r.scenario11.countedCheckouts} checkouts one at a time:`,
    '',
    '| subgraph | SQL statements per checkout |',
    '| --- | ---: |',
    ...Object.entries(r.scenario11.statements).map(([name, count]) => `| ${name} | ${f(count, 1)} |`),
    '',
    '### Targets',
    '',
    `| target | figure | |`,
    `| --- | --- | --- |`,
    `| router CPU per federated request ≤ 1.5 × a subgraph's | ${f(cpuRatio)} × | ${mark(cpuRatio <= 1.5)} |`,
    `| scenario 2 ≥ 2 × stock @apollo/gateway | ${f(vsStock)} × | ${mark(vsStock >= 2)} |`,
    `| scenario 2 ≥ 1 × @graphql-hive/gateway | ${f(vsHive)} × | ${mark(vsHive >= 1)} |`,
    `| scenario 2, a distinct token per request, ≥ 3 × stock @apollo/gateway | ${f(distinctVsStock)} × | ${mark(distinctVsStock >= 3)} |`,
    `| scenario 2, a distinct token per request, ≥ 2.5 × @graphql-hive/gateway | ${f(distinctVsHive)} × | ${mark(distinctVsHive >= 2.5)} |`,
    `| scenario 2, a distinct token per request, ≥ 1.5 × @graphql-hive/gateway with the Rust query planner | ${f(distinctVsHiveRust)} × | ${mark(distinctVsHiveRust >= 1.5)} |`,
    `| scenario 2, a distinct token per request: router CPU ≤ 0.5 ms per request | ${f(distinctCpu.gateway!, 3)} ms | ${mark(distinctCpu.gateway! <= 0.5)} |`,
    `| scenario 2, a distinct token per request: each subgraph ≤ 0.25 CPU-ms per request | auth ${f(distinctCpu.auth!, 3)}, users ${f(distinctCpu.users!, 3)} ms | ${mark(distinctCpu.auth! <= 0.25 && distinctCpu.users! <= 0.25)} |`,
    `| _entities for 1000 users: p50 < 60 ms (largest N here: ${largestN}) | ${f(r.scenario3[largestN]!.p50Ms)} ms | ${Number(largestN) < 1000 ? 'n/a (fewer than 1000 users seeded)' : mark(r.scenario3[largestN]!.p50Ms < 60)} |`,
    `| added p50 at 20% load ≤ 1 ms | ${f(addedP50)} ms | ${mark(addedP50 <= 1)} |`,
    `| statements per _entities batch constant from N = 1 to N = ${Object.keys(r.scenario3).at(-1)} | ${statementCounts.join(', ')} | ${mark(constant)} |`,
    `| logins/s ≥ 85% of the argon2 bound | ${f(r.scenario4.fractionOfBound * 100, 0)}% | ${mark(r.scenario4.fractionOfBound >= 0.85)} |`,
    `| me p99 during a login storm ≤ 2 × idle | ${f(r.scenario5.p99Ratio)} × | ${mark(r.scenario5.p99Ratio <= 2)} |`,
    `| category page: SQL statements per subgraph ≤ 3 and the same for 10 and 50 products | ${Object.values(r.scenario8.statements).map((x) => `${x.catalog}+${x.inventory}`).join(', ')} | ${mark(
      Object.values(r.scenario8.statements).every((x) => x.catalog <= 3 && x.inventory <= 3) &&
        new Set(Object.values(r.scenario8.statements).map((x) => `${x.catalog}+${x.inventory}`)).size === 1,
    )} |`,
    `| search over ${r.scenario9.products} products: p50 < 20 ms | ${f(r.scenario9.p50Ms)} ms | ${mark(r.scenario9.p50Ms < 20)} |`,
    `| search over ${r.scenario9.products} products: p99 < 100 ms | ${f(r.scenario9.p99Ms)} ms | ${mark(r.scenario9.p99Ms < 100)} |`,
    `| no sequential scan of the catalog's large tables in the plans | ${r.scenario9.seqScans} plan(s) with one | ${mark(r.scenario9.seqScans === 0)} |`,
    `| cart through the router: addToCart, cart read (issue 12 sets no target) | ${f(r.scenario10.addToCart.meridian!.requestsPerSecond, 0)}, ${f(r.scenario10.read.meridian!.requestsPerSecond, 0)} req/s | reported |`,
    `| checkouts through the router (issue 12 sets no target) | ${f(r.scenario11.load.requestsPerSecond, 1)}/s, p99 ${f(r.scenario11.load.p99Ms)} ms, SQL ${Object.entries(r.scenario11.statements)
      .map(([name, count]) => `${name} ${f(count, 1)}`)
      .join(', ')} | reported |`,
    '',
  ];
  return lines.join('\n');
}
