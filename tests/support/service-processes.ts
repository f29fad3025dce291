import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { serviceRoleGrants } from '@meridian/db';
import { generateSigningJwk, toPublicJwk } from '@meridian/platform';
import { ADMIN_DATABASE_URL, type TestDatabase } from './database.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export type ServiceName = 'auth' | 'users' | 'router';
type DatabaseService = Exclude<ServiceName, 'router'>;

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
  const roles: Record<DatabaseService, string> = { auth: `meridian_t${suffix}_auth`, users: `meridian_t${suffix}_users` };
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

async function waitReady(url: string, logs: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become ready:\n${logs()}`);
}

/**
 * The auth and users subgraphs and the router, each as its own process in production mode (as
 * compose.yaml runs them), on the given database URLs, mailing to `smtpUrl`.
 */
export async function startServices(options: {
  databaseUrls: Record<DatabaseService, string>;
  smtpUrl: string;
  env?: Partial<Record<ServiceName, Record<string, string>>>;
}): Promise<RunningServices> {
  const ports: Record<ServiceName, number> = { router: await freePort(), auth: await freePort(), users: await freePort() };
  const authKeys = [await generateSigningJwk()];
  const routerKeys = [await generateSigningJwk()];
  const routerJwks = JSON.stringify({ keys: routerKeys.map(toPublicJwk) });
  const jwksUrl = `http://127.0.0.1:${ports.auth}/.well-known/jwks.json`;
  const processes = {} as Record<ServiceName, ServiceProcess>;
  const logs = () => Object.values(processes).map((p) => p.output.join('')).join('\n');
  const stop = (name: ServiceName): Promise<number | null> => {
    const { child } = processes[name];
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
    return new Promise((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });
  };
  const stopAll = async () => {
    await Promise.all((Object.keys(processes) as ServiceName[]).map(stop));
  };

  try {
    processes.auth = start('auth', 'subgraphs/auth/src/main.ts', {
      DATABASE_URL: options.databaseUrls.auth,
      AUTH_PORT: String(ports.auth),
      AUTH_SIGNING_KEYS: JSON.stringify(authKeys),
      AUTH_SECRET: randomBytes(32).toString('base64url'),
      SMTP_URL: options.smtpUrl,
      ROUTER_JWKS: routerJwks,
      ROUTER_URL: `http://127.0.0.1:${ports.router}/graphql`,
      ...options.env?.auth,
    });
    processes.users = start('users', 'subgraphs/users/src/main.ts', {
      DATABASE_URL: options.databaseUrls.users,
      USERS_PORT: String(ports.users),
      ROUTER_JWKS: routerJwks,
      AUTH_JWKS_URL: jwksUrl,
      ...options.env?.users,
    });
    await Promise.all([waitReady(`http://127.0.0.1:${ports.auth}/ready`, logs), waitReady(`http://127.0.0.1:${ports.users}/ready`, logs)]);
    processes.router = start('router', 'router/src/main.ts', {
      // The tests send operations as text, which production's default (PERSISTED_QUERIES=safelist) refuses
      // unless they are in the persisted query list exactly as Apollo Client sends them.
      PERSISTED_QUERIES: 'off',
      PORT: String(ports.router),
      ROUTER_SIGNING_KEYS: JSON.stringify(routerKeys),
      AUTH_JWKS_URL: jwksUrl,
      AUTH_SUBGRAPH_URL: `http://127.0.0.1:${ports.auth}/graphql`,
      USERS_SUBGRAPH_URL: `http://127.0.0.1:${ports.users}/graphql`,
      ...options.env?.router,
    });
    await waitReady(`http://127.0.0.1:${ports.router}/ready`, logs);
  } catch (error) {
    await stopAll();
    throw error;
  }
  return { ports, routerUrl: `http://127.0.0.1:${ports.router}/graphql`, processes, logs, stop, stopAll };
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
