import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastMail } from '../scripts/last-mail.js';
import { eventually } from './support/eventually.js';
import { op } from './support/graph.js';
import { freePort } from './support/service-processes.js';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Instance {
  child: ChildProcess;
  output: string[];
  routerUrl: string;
  exited: Promise<number | null>;
}

/** `pnpm start` as a user runs it, on its own ports. */
async function pnpmStart(dataDir: string): Promise<Instance> {
  const [router, auth, users] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: String(router), AUTH_PORT: String(auth), USERS_PORT: String(users), LOG_LEVEL: 'warn', OUTBOX_POLL_MS: '200' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  instances.push(child);
  return { child, output, routerUrl: `http://127.0.0.1:${router}/graphql`, exited };
}

async function ready(instance: Instance): Promise<Instance> {
  const url = instance.routerUrl.replace('/graphql', '/ready');
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    if (instance.child.exitCode !== null) break;
    if (await fetch(url).then((response) => response.ok, () => false)) return instance;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`pnpm start did not become ready:\n${instance.output.join('')}`);
}

async function call(url: string, query: string, variables: Record<string, unknown>, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data: Record<string, Record<string, unknown> & { addresses?: { id: string }[] }> };
}

const address = (line1: string) => ({ fullName: 'Lock Test', line1, city: 'Amsterdam', postalCode: '1012lg', countryCode: 'NL' });
const lockOwners = async (dataDir: string) => (await readdir(path.join(dataDir, 'pglite.lock')).catch(() => [] as string[])).filter((name) => name.endsWith('.json'));
const lockedBy = async (dataDir: string) =>
  Promise.all((await lockOwners(dataDir)).map(async (name) => (JSON.parse(await readFile(path.join(dataDir, 'pglite.lock', name), 'utf8')) as { pid: number }).pid));

const instances: ChildProcess[] = [];
let dataDir: string;
let first: Instance;
let accessToken: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'meridian-lock-'));
  first = await ready(await pnpmStart(dataDir));
  await call(first.routerUrl, op('Register'), { input: { email: 'lock@example.com', password: 'one process per folder', displayName: 'Lock' } });
  const mail = await eventually(async () => {
    const written = await lastMail(dataDir);
    expect(written?.to).toBe('lock@example.com');
    return written!;
  });
  accessToken = (await call(first.routerUrl, op('VerifyEmail'), { token: mail.token })).data.verifyEmail!.accessToken as string;
  const added = await call(first.routerUrl, op('AddAddress'), { input: address('Damrak 1') }, accessToken);
  expect(added.data.addAddress!.__typename).toBe('AddressAdded');
});

afterAll(async () => {
  for (const child of instances) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

describe('one pnpm start per data directory', () => {
  it('refuses a second start at once, naming the first, and the first keeps serving', { timeout: 60_000 }, async () => {
    const second = await pnpmStart(dataDir);
    // "At once": before its database or any service starts; loading the nine services' code alone takes seconds here.
    const code = await Promise.race([second.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 40_000))]);
    expect(code, second.output.join('')).toBe(1);
    const lines = second.output.join('').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 60,
      msg: `the embedded database in ${path.join(dataDir, 'pglite')} is in use by process ${first.child.pid}; stop it or set DATA_DIR`,
    });
    expect(await lockedBy(dataDir)).toEqual([first.child.pid]);

    const me = await call(first.routerUrl, op('Me'), {}, accessToken);
    expect(me.data.me).toMatchObject({ email: 'lock@example.com', addresses: [{ line1: 'Damrak 1' }] });
  });

  it('keeps every acknowledged write through kill -9 and takes the dead owner’s lock over on restart', { timeout: 120_000 }, async () => {
    const acknowledged: string[] = [];
    let next = 0;
    const writer = async () => {
      for (;;) {
        const result = await call(first.routerUrl, op('AddAddress'), { input: address(`Kerkstraat ${++next}`) }, accessToken).catch(() => null);
        if (result?.data.addAddress?.__typename !== 'AddressAdded') return;
        acknowledged.push((result.data.addAddress.address as { id: string }).id);
      }
    };
    const writers = Array.from({ length: 4 }, writer);
    await eventually(async () => expect(acknowledged.length).toBeGreaterThanOrEqual(12));
    first.child.kill('SIGKILL');
    await Promise.all([first.exited, ...writers]);
    expect(await lockedBy(dataDir)).toEqual([first.child.pid]);

    const restarted = await ready(await pnpmStart(dataDir));
    expect(await lockedBy(dataDir)).toEqual([restarted.child.pid]);
    const me = await call(restarted.routerUrl, op('Me'), {}, accessToken);
    const stored = me.data.me!.addresses!.map((stored) => stored.id);
    expect(stored).toEqual(expect.arrayContaining(acknowledged));
    expect(stored.length).toBeLessThanOrEqual(1 + next);

    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
    expect(await lockOwners(dataDir)).toEqual([]);
  });
});
