// The README's commands for running each service as its own process must let SIGTERM reach node:
// `pnpm --filter … start` exits at once on SIGTERM and leaves node serving, with no graceful shutdown.
// Each command is run exactly as README.md writes it (without its environment assignments, which
// the test supplies), signalled as an orchestrator would, and must leave nothing listening.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '@meridian/db';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { freePort } from './support/service-processes.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The command lines of the bash block under "## Running the services separately", by the service they start. */
async function documentedStartCommands(): Promise<Record<'auth' | 'users' | 'localization' | 'inventory' | 'cart' | 'orders' | 'notifications' | 'payments' | 'router', string[]>> {
  const readme = await readFile(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Running the services separately'));
  const block = /```bash\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const commands = block
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '')
    // Environment assignments come from the test.
    .map((line) => line.split(/\s+/).filter((word, index, words) => !(/^[A-Z_]+=/.test(word) && words.slice(0, index).every((w) => /^[A-Z_]+=/.test(w)))));
  const find = (service: string) => commands.find((words) => words.some((word) => word.includes(`/${service}/`) || word.startsWith(`${service}/`) || word === `@meridian/${service}`));
  return { auth: find('auth') ?? [], users: find('users') ?? [], localization: find('localization') ?? [], inventory: find('inventory') ?? [], cart: find('cart') ?? [], orders: find('orders') ?? [], notifications: find('notifications') ?? [], payments: find('payments') ?? [], router: find('router') ?? [] };
}

/** The ids of a process's descendants (Linux). */
function descendantsOf(pid: number): number[] {
  let children: number[];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

let database: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateDatabase(database.url);
  dataDir = await mkdtemp(path.join(tmpdir(), 'meridian-start-'));
});

afterAll(async () => {
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the documented start commands', () => {
  it.concurrent.each(['auth', 'users', 'localization', 'inventory', 'cart', 'orders', 'notifications', 'payments', 'router'] as const)('%s: SIGTERM to the command stops the service, exit code 0, nothing left listening', async (service) => {
    const [command, ...args] = (await documentedStartCommands())[service];
    expect(command, `no start command for ${service} in README.md`).toBeDefined();
    const port = await freePort();
    const child = spawn(command!, args, {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        COREPACK_INTEGRITY_KEYS: '0',
        LOG_LEVEL: 'warn',
        DATA_DIR: path.join(dataDir, service),
        DATABASE_URL: database.url,
        AUTH_PORT: String(port),
        USERS_PORT: String(port),
        LOCALIZATION_PORT: String(port),
        INVENTORY_PORT: String(port),
        CART_PORT: String(port),
        ORDERS_PORT: String(port),
        NOTIFICATIONS_PORT: String(port),
        PAYMENTS_PORT: String(port),
        PORT: String(port),
        SHUTDOWN_TIMEOUT_MS: '1000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const health = `http://127.0.0.1:${port}/health`;
    let orphans: number[] = [];
    try {
      for (let waited = 0; !(await answers(health)); waited += 200) {
        if (waited > 45_000 || child.exitCode !== null) throw new Error(`${service} did not start:\n${output.join('')}`);
        await sleep(200);
      }
      orphans = descendantsOf(child.pid!);
      child.kill('SIGTERM');
      const exitCode = await Promise.race([exited, sleep(8_000).then(() => 'still running after 8 s')]);
      // Whatever the command was, the service itself must be gone (an orphaned node would still answer).
      await sleep(500);
      expect({ exitCode, stillServing: await answers(health) }, output.join('')).toEqual({ exitCode: 0, stillServing: false });
    } finally {
      // Whatever the command left running (an orphaned node) is stopped, so the test leaves nothing behind.
      for (const pid of [child.pid!, ...descendantsOf(child.pid!), ...orphans]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }, 60_000);
});
