import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, readdir, readlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { serviceRoleGrants } from '@meridian/db';
import { generateRouterMacSecret, generateSigningJwk, routerMacKeyEntries, toPublicJwk } from '@meridian/platform';
import { ADMIN_DATABASE_URL, type TestDatabase } from './database.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A further auth process beside `auth` (`auth-2`, …), on the same database, keys and AUTH_SECRET. */
export type AuthReplica = `auth-${number}`;
export type ServiceName = 'auth' | 'users' | 'localization' | 'catalog' | 'inventory' | 'cart' | 'orders' | 'notifications' | 'payments' | 'router' | AuthReplica;
type DatabaseService = 'auth' | 'users' | 'localization' | 'catalog' | 'inventory' | 'cart' | 'orders' | 'notifications' | 'payments';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ServiceRoles {
  /** The database URL with the service's own role as its user. */
  urlFor(service: DatabaseService): string;
  drop(): Promise<void>;
}

/** One login role per service, granted exactly what `pnpm db:roles` grants (run after migrations). */
export async function createServiceRoles(database: TestDatabase): Promise<ServiceRoles> {
  const suffix = randomBytes(4).toString('hex');
  const roles: Record<DatabaseService, string> = {
    auth: `meridian_t${suffix}_auth`,
    users: `meridian_t${suffix}_users`,
    localization: `meridian_t${suffix}_localization`,
    catalog: `meridian_t${suffix}_catalog`,
    inventory: `meridian_t${suffix}_inventory`,
    cart: `meridian_t${suffix}_cart`,
    orders: `meridian_t${suffix}_orders`,
    notifications: `meridian_t${suffix}_notifications`,
    payments: `meridian_t${suffix}_payments`,
  };
  const admin = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    for (const [schema, role] of Object.entries(roles) as [DatabaseService, string][]) {
      await admin.unsafe(`create role ${role} login`);
      for (const statement of serviceRoleGrants(schema, role)) await admin.unsafe(statement);
    }
  } finally {
    await admin.end();
  }
  return {
    urlFor: (service) => Object.assign(new URL(database.url), { username: roles[service] }).toString(),
    drop: async () => {
      const dropper = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
      try {
        for (const role of Object.values(roles)) await dropper.unsafe(`drop role if exists ${role}`);
      } finally {
        await dropper.end();
      }
    },
  };
}

export interface ServiceProcess {
  child: ChildProcess;
  output: string[];
}

export interface RunningServices {
  ports: Record<ServiceName, number>;
  routerUrl: string;
  processes: Record<ServiceName, ServiceProcess>;
  /** Everything the processes wrote so far. */
  logs(): string;
  /** SIGTERM, then the exit code. */
  stop(name: ServiceName): Promise<number | null>;
  /** Starts a stopped process again, on its port and with its environment, and waits until it is ready. */
  /** Stops a service (SIGTERM; a dead one is left as it is) and starts it again, with `env` over its environment. */
  restart(name: ServiceName, env?: Record<string, string>): Promise<void>;
  stopAll(): Promise<void>;
}

function start(name: ServiceName, entry: string, env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return { child, output };
}

/** The variable each service reads its port from. */
function portVariable(name: ServiceName): string {
  if (name === 'router') return 'PORT';
  if (name.startsWith('auth-')) return 'AUTH_PORT';
  return `${name.toUpperCase()}_PORT`;
}

/** Whether process `pid` holds the socket listening on TCP `port` (Linux: /proc/net/tcp and the process's descriptors). */
async function listensOn(pid: number, port: number): Promise<boolean> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const rows = await readFile(table, 'utf8').catch(() => '');
    for (const row of rows.split('\n').slice(1)) {
      const fields = row.trim().split(/\s+/);
      // local_address is ADDRESS:PORT in hex, st 0A is LISTEN, the inode is the tenth field.
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A' && fields[9]) inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return false;
  const descriptors = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  for (const descriptor of descriptors) {
    const target = await readlink(`/proc/${pid}/fd/${descriptor}`).catch(() => '');
    if (inodes.has(target.slice('socket:['.length, -1))) return true;
  }
  return false;
}

/**
 * Waits until the process itself listens on `port` and `/ready` answers. A port from `freePort()` is free
 * only when it is picked: until the service binds it, another test's process can take it, and then
 * `/ready` on that port would answer for someone else. 'port-taken' when the process exited for that.
 */
export async function waitReady(service: ServiceProcess, port: number, timeoutMs = 60_000): Promise<'ready' | 'port-taken'> {
  const deadline = Date.now() + timeoutMs;
  const url = `http://127.0.0.1:${port}/ready`;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null || service.child.signalCode !== null) {
      const output = service.output.join('');
      if (output.includes('EADDRINUSE')) return 'port-taken';
      throw new Error(`${url}: the process exited (${service.child.exitCode ?? service.child.signalCode}) before it was ready:\n${output}`);
    }
    if (await listensOn(service.child.pid!, port)) {
      try {
        if ((await fetch(url)).ok) return 'ready';
      } catch {
        // not answering yet
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become ready:\n${service.output.join('')}`);
}

/**
 * The auth and users subgraphs and the router, each as its own process in production mode (as
 * compose.yaml runs them), on the given database URLs, mailing to `smtpUrl`. With `authReplicas`,
 * that many auth processes (`auth`, `auth-2`, …) share the database, keys and AUTH_SECRET, and the
 * router gets them all in AUTH_SUBGRAPH_URL; `env.auth` applies to each, `env['auth-2']` to that one.
 */
/**
 * Two test files run at once on two cores, and a burst of sign-ups on a cold pool can wait longer than
 * the production default (2 s) for its connections. Tests of that bound set their own, as a
 * service's `env` comes after this.
 */
const TEST_DATABASE_WAITS = { DATABASE_ACQUIRE_TIMEOUT_MS: '15000' };

export async function startServices(options: {
  databaseUrls: Record<DatabaseService, string>;
  smtpUrl: string;
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  authReplicas?: number;
}): Promise<RunningServices> {
  const ports: Record<ServiceName, number> = { router: await freePort(), auth: await freePort(), users: await freePort(), localization: await freePort(), catalog: await freePort(), inventory: await freePort(), cart: await freePort(), orders: await freePort(), notifications: await freePort(), payments: await freePort() };
  const authReplicas: ('auth' | AuthReplica)[] = ['auth'];
  for (let replica = 2; replica <= (options.authReplicas ?? 1); replica++) {
    authReplicas.push(`auth-${replica}`);
    ports[`auth-${replica}`] = await freePort();
  }
  const authSecret = randomBytes(32).toString('base64url');
  // The orders service's identity (README "Service identities"): its client, with the checkout role, beside any a test lists.
  const ordersSecret = randomBytes(32).toString('base64url');
  const ordersClient = { id: 'orders', secretSha256: createHash('sha256').update(ordersSecret).digest('hex'), roles: ['checkout'] };
  // The notifications service's, with the notifications role (it reads the order feed and recipients).
  const notificationsSecret = randomBytes(32).toString('base64url');
  const notificationsClient = { id: 'notifications', secretSha256: createHash('sha256').update(notificationsSecret).digest('hex'), roles: ['notifications'] };
  // The payments service's, with the checkout role (it reads carts and records payments and refunds on orders).
  const paymentsSecret = randomBytes(32).toString('base64url');
  const paymentsClient = { id: 'payments', secretSha256: createHash('sha256').update(paymentsSecret).digest('hex'), roles: ['payments'] };
  const serviceClients = JSON.stringify([...(JSON.parse(options.env?.auth?.SERVICE_CLIENTS ?? '[]') as unknown[]), ordersClient, notificationsClient, paymentsClient]);
  const authKeys = [await generateSigningJwk()];
  const routerKeys = [await generateSigningJwk()];
  const routerJwks = JSON.stringify({ keys: routerKeys.map(toPublicJwk) });
  // Router tokens MACed per subgraph, as README "Security" configures production (ROUTER_MAC_SECRETS, ROUTER_MAC_KEYS).
  const routerMacSecrets = [generateRouterMacSecret()];
  const macKeys = (subgraph: string) => JSON.stringify(routerMacKeyEntries(routerMacSecrets, subgraph));
  const processes = {} as Record<ServiceName, ServiceProcess>;
  const launched = new Map<ServiceName, { entry: string; env: Record<string, string> }>();
  const launch = (name: ServiceName, entry: string, env: Record<string, string>) => {
    launched.set(name, { entry, env });
    processes[name] = start(name, entry, env);
  };
  const logs = () => Object.values(processes).map((p) => p.output.join('')).join('\n');
  const stop = (name: ServiceName): Promise<number | null> => {
    const { child } = processes[name]!;
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
    return new Promise((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });
  };
  const stopAll = async () => {
    await Promise.all((Object.keys(processes) as ServiceName[]).map(stop));
  };
  /** Waits for a launched process; one whose port another process took meanwhile starts again on a new port (a subgraph only: the others have the router's URL). */
  const ready = async (name: ServiceName) => {
    for (let attempt = 1; ; attempt++) {
      const outcome = await waitReady(processes[name]!, ports[name]!);
      if (outcome === 'ready') return;
      if (name === 'router' || attempt === 3) throw new Error(`${name}: port ${ports[name]} was taken by another process:\n${logs()}`);
      const { entry, env } = launched.get(name)!;
      ports[name] = await freePort();
      launch(name, entry, { ...env, [portVariable(name)]: String(ports[name]) });
    }
  };
  const restart = async (name: ServiceName, overrides: Record<string, string> = {}) => {
    const { entry, env } = launched.get(name)!;
    await stop(name);
    launch(name, entry, { ...env, ...overrides });
    await ready(name);
  };

  try {
    for (const replica of authReplicas) {
      launch(replica, 'subgraphs/auth/src/main.ts', {
        DATABASE_URL: options.databaseUrls.auth,
        ...TEST_DATABASE_WAITS,
        AUTH_PORT: String(ports[replica]),
        AUTH_SIGNING_KEYS: JSON.stringify(authKeys),
        AUTH_SECRET: authSecret,
        SMTP_URL: options.smtpUrl,
        ROUTER_JWKS: routerJwks,
        ROUTER_MAC_KEYS: macKeys('auth'),
        ROUTER_URL: `http://127.0.0.1:${ports.router}/graphql`,
        ...options.env?.auth,
        SERVICE_CLIENTS: serviceClients,
        ...(replica === 'auth' ? {} : options.env?.[replica]),
      });
    }
    launch('users', 'subgraphs/users/src/main.ts', {
      DATABASE_URL: options.databaseUrls.users,
      ...TEST_DATABASE_WAITS,
      USERS_PORT: String(ports.users),
      ROUTER_JWKS: routerJwks,
      ROUTER_MAC_KEYS: macKeys('users'),
      ...options.env?.users,
    });
    launch('localization', 'subgraphs/localization/src/main.ts', {
      DATABASE_URL: options.databaseUrls.localization,
      ...TEST_DATABASE_WAITS,
      LOCALIZATION_PORT: String(ports.localization),
      ROUTER_JWKS: routerJwks,
      ROUTER_MAC_KEYS: macKeys('localization'),
      ...options.env?.localization,
    });
    launch('catalog', 'subgraphs/catalog/src/main.ts', {
      DATABASE_URL: options.databaseUrls.catalog,
      ...TEST_DATABASE_WAITS,
      CATALOG_PORT: String(ports.catalog),
      ROUTER_JWKS: routerJwks,
      ROUTER_MAC_KEYS: macKeys('catalog'),
      ROUTER_URL: `http://127.0.0.1:${ports.router}/graphql`,
      ...options.env?.catalog,
    });
    launch('inventory', 'subgraphs/inventory/src/main.ts', {
      DATABASE_URL: options.databaseUrls.inventory,
      ...TEST_DATABASE_WAITS,
      INVENTORY_PORT: String(ports.inventory),
      ROUTER_JWKS: routerJwks,
      ROUTER_MAC_KEYS: macKeys('inventory'),
      ...options.env?.inventory,
    });
    launch('cart', 'subgraphs/cart/src/main.ts', {
      DATABASE_URL: options.databaseUrls.cart,
      ...TEST_DATABASE_WAITS,
      CART_PORT: String(ports.cart),
      ROUTER_JWKS: routerJwks,
      ROUTER_MAC_KEYS: macKeys('cart'),
      ROUTER_URL: `http://127.0.0.1:${ports.router}/graphql`,
      ...options.env?.cart,
    });
    launch('orders', 'subgraphs/orders/src/main.ts', {
      DATABASE_URL: options.databaseUrls.orders,
      ...TEST_DATABASE_WAITS,
      ORDERS_PORT: String(ports.orders),
      ROUTER_JWKS: routerJwks,
      ROUTER_MAC_KEYS: macKeys('orders'),
      ROUTER_URL: `http://127.0.0.1:${ports.router}/graphql`,
      SERVICE_CLIENT_ID: 'orders',
      SERVICE_CLIENT_SECRET: ordersSecret,
      ...options.env?.orders,
    });
    launch('notifications', 'subgraphs/notifications/src/main.ts', {
      DATABASE_URL: options.databaseUrls.notifications,
      ...TEST_DATABASE_WAITS,
      NOTIFICATIONS_PORT: String(ports.notifications),
      ROUTER_JWKS: routerJwks,
      ROUTER_MAC_KEYS: macKeys('notifications'),
      ROUTER_URL: `http://127.0.0.1:${ports.router}/graphql`,
      SMTP_URL: options.smtpUrl,
      SERVICE_CLIENT_ID: 'notifications',
      SERVICE_CLIENT_SECRET: notificationsSecret,
      ...options.env?.notifications,
    });
    launch('payments', 'subgraphs/payments/src/main.ts', {
      DATABASE_URL: options.databaseUrls.payments,
      ...TEST_DATABASE_WAITS,
      PAYMENTS_PORT: String(ports.payments),
      ROUTER_JWKS: routerJwks,
      ROUTER_MAC_KEYS: macKeys('payments'),
      ROUTER_URL: `http://127.0.0.1:${ports.router}/graphql`,
      SERVICE_CLIENT_ID: 'payments',
      SERVICE_CLIENT_SECRET: paymentsSecret,
      ...options.env?.payments,
    });
    await Promise.all([...authReplicas, 'users' as const, 'localization' as const, 'catalog' as const, 'inventory' as const, 'cart' as const, 'orders' as const, 'notifications' as const, 'payments' as const].map(ready));
    launch('router', 'router/src/main.ts', {
      // The tests send operations as text, which production's default (PERSISTED_QUERIES=safelist) refuses
      // unless they are in the persisted query list exactly as Apollo Client sends them.
      PERSISTED_QUERIES: 'off',
      PORT: String(ports.router),
      ROUTER_SIGNING_KEYS: JSON.stringify(routerKeys),
      ROUTER_MAC_SECRETS: JSON.stringify(routerMacSecrets),
      AUTH_JWKS_URL: `http://127.0.0.1:${ports.auth}/.well-known/jwks.json`,
      AUTH_SUBGRAPH_URL: authReplicas.map((replica) => `http://127.0.0.1:${ports[replica]}/graphql`).join(','),
      USERS_SUBGRAPH_URL: `http://127.0.0.1:${ports.users}/graphql`,
      LOCALIZATION_SUBGRAPH_URL: `http://127.0.0.1:${ports.localization}/graphql`,
      CATALOG_SUBGRAPH_URL: `http://127.0.0.1:${ports.catalog}/graphql`,
      INVENTORY_SUBGRAPH_URL: `http://127.0.0.1:${ports.inventory}/graphql`,
      CART_SUBGRAPH_URL: `http://127.0.0.1:${ports.cart}/graphql`,
      ORDERS_SUBGRAPH_URL: `http://127.0.0.1:${ports.orders}/graphql`,
      NOTIFICATIONS_SUBGRAPH_URL: `http://127.0.0.1:${ports.notifications}/graphql`,
      PAYMENTS_SUBGRAPH_URL: `http://127.0.0.1:${ports.payments}/graphql`,
      ...options.env?.router,
    });
    await ready('router');
  } catch (error) {
    await stopAll();
    throw error;
  }
  return { ports, routerUrl: `http://127.0.0.1:${ports.router}/graphql`, processes, logs, stop, restart, stopAll };
}

export interface GraphQLReply {
  status: number;
  data?: Record<string, Record<string, unknown> | null> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** POSTs one GraphQL request. */
export async function postGraphQL(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLReply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as Omit<GraphQLReply, 'status'>) };
}
