import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase, serviceRoleGrants } from '@meridian/db';
import { generateSigningJwk, toPublicJwk } from '@meridian/platform';
import { ADMIN_DATABASE_URL, createTestDatabase, type TestDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { op } from './support/graph.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const suffix = randomBytes(4).toString('hex');
const roles = { auth: `meridian_t${suffix}_auth`, users: `meridian_t${suffix}_users` };

let database: TestDatabase;
let mailbox: Mailbox;
const processes: Record<string, { child: ChildProcess; output: string[] }> = {};
let ports: { router: number; auth: number; users: number };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function databaseUrlAs(role: string): string {
  const url = new URL(database.url);
  url.username = role;
  return url.toString();
}

function start(name: string, entry: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  processes[name] = { child, output };
}

async function waitReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become ready:\n${Object.values(processes).map((p) => p.output.join('')).join('\n')}`);
}

function stop(name: string): Promise<number | null> {
  const { child } = processes[name]!;
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = await startMailbox();
  await migrateDatabase(database.url);
  const admin = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    for (const [schema, role] of Object.entries(roles) as ['auth' | 'users', string][]) {
      await admin.unsafe(`create role ${role} login`);
      for (const statement of serviceRoleGrants(schema, role)) await admin.unsafe(statement);
    }
  } finally {
    await admin.end();
  }

  ports = { router: await freePort(), auth: await freePort(), users: await freePort() };
  const authKeys = [await generateSigningJwk()];
  const routerKeys = [await generateSigningJwk()];
  const routerJwks = JSON.stringify({ keys: routerKeys.map(toPublicJwk) });
  const jwksUrl = `http://127.0.0.1:${ports.auth}/.well-known/jwks.json`;
  start('auth', 'subgraphs/auth/src/main.ts', {
    DATABASE_URL: databaseUrlAs(roles.auth),
    AUTH_PORT: String(ports.auth),
    AUTH_SIGNING_KEYS: JSON.stringify(authKeys),
    AUTH_SECRET: randomBytes(32).toString('base64url'),
    SMTP_URL: mailbox.url,
    ROUTER_JWKS: routerJwks,
    ROUTER_URL: `http://127.0.0.1:${ports.router}/graphql`,
  });
  start('users', 'subgraphs/users/src/main.ts', {
    DATABASE_URL: databaseUrlAs(roles.users),
    USERS_PORT: String(ports.users),
    ROUTER_JWKS: routerJwks,
    AUTH_JWKS_URL: jwksUrl,
  });
  await Promise.all([waitReady(`http://127.0.0.1:${ports.auth}/ready`), waitReady(`http://127.0.0.1:${ports.users}/ready`)]);
  start('router', 'router/src/main.ts', {
    PORT: String(ports.router),
    ROUTER_SIGNING_KEYS: JSON.stringify(routerKeys),
    AUTH_JWKS_URL: jwksUrl,
    AUTH_SUBGRAPH_URL: `http://127.0.0.1:${ports.auth}/graphql`,
    USERS_SUBGRAPH_URL: `http://127.0.0.1:${ports.users}/graphql`,
  });
  await waitReady(`http://127.0.0.1:${ports.router}/ready`);
});

afterAll(async () => {
  await Promise.all(Object.keys(processes).map(stop));
  await database?.drop();
  await mailbox?.close();
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    for (const role of Object.values(roles)) await admin.unsafe(`drop role if exists ${role}`);
  } finally {
    await admin.end();
  }
});

const graphql = async (query: string, variables: Record<string, unknown> = {}, token?: string) => {
  const response = await fetch(`http://127.0.0.1:${ports.router}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, Record<string, unknown>>; errors?: { message: string; extensions?: { code?: string } }[] };
};

describe('each service as its own process, with its own database role, in production mode', () => {
  it('serves the graph through the router', async () => {
    const registered = await graphql(op('Register'), { input: { email: 'process@example.com', password: 'three little servers', displayName: 'Proc' } });
    expect(registered.data?.register?.__typename).toBe('VerificationEmailSent');
    const mail = await mailbox.waitFor((received) => received.to === 'process@example.com');
    const verified = await graphql(op('VerifyEmail'), { token: mail.token });
    expect(verified.data?.verifyEmail?.__typename).toBe('AuthSession');
    const me = await eventually(async () => {
      const result = await graphql(op('Me'), {}, verified.data?.verifyEmail?.accessToken as string);
      expect(result.data?.me).toMatchObject({ email: 'process@example.com', profile: { displayName: 'Proc' }, addresses: [] });
      return result;
    });
    expect(me.errors).toBeUndefined();
  });

  it('keeps introspection and every schema suggestion off in production', async () => {
    const result = await graphql('{ __schema { types { name } } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const misspelled = await graphql('{ mee { id } }');
    expect(misspelled.errors?.[0]?.message).toBe('Cannot query field "mee" on type "Query".');
    const wrongEnum = await graphql(op('SetDefaultAddress'), { id: '01900000-0000-7000-8000-000000000000', kind: 'SHIPPNG' });
    expect(wrongEnum.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(wrongEnum.errors?.[0]?.message).not.toMatch(/Did you mean|Suggestion|SHIPPING/);
  });

  it("confines each service's role to its own schema", async () => {
    const asUsers = postgres(databaseUrlAs(roles.users), { max: 1, onnotice: () => {} });
    try {
      await expect(asUsers`select count(*) from users.addresses`).resolves.toHaveLength(1);
      await expect(asUsers`select email from auth.users`).rejects.toThrow(/permission denied/);
    } finally {
      await asUsers.end();
    }
  });

  it('reports the router unready when a subgraph is down, and shuts down cleanly on SIGTERM', async () => {
    expect(await stop('users')).toBe(0);
    const ready = await fetch(`http://127.0.0.1:${ports.router}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', subgraphs: { auth: true, users: false } });
    expect(await stop('router')).toBe(0);
    expect(await stop('auth')).toBe(0);
    const logs = Object.values(processes).map((p) => p.output.join('')).join('\n');
    expect(logs).toContain('"msg":"stopped"');
    expect(logs).not.toContain('three little servers');
  });
});
