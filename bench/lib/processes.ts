import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const CLOCK_TICK_MS = 10; // USER_HZ is 100 on Linux

export interface BenchProcess {
  name: string;
  child: ChildProcess;
  output: string[];
  port: number;
}

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

/**
 * Every benchmarked process (each gateway arm and subgraph alike) runs with a larger young generation, as
 * compose.yaml runs the services (NODE_OPTIONS): a request's garbage then dies in fewer, cheaper scavenges
 * (_entities for 1000 users: 20–25% less CPU, bench/results/CHANGES.md).
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=32'];

/**
 * Free ports for services started later (after the seeding), each held by a listening socket until `release()`: a port
 * only looked up could meanwhile be taken by another process's server or an outgoing connection.
 */
export async function holdPorts<Name extends string>(names: readonly Name[]): Promise<{ ports: Record<Name, number>; release(): Promise<void> }> {
  const servers = await Promise.all(
    names.map(
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          // Unreferenced: a run that fails before releasing them still exits.
          server.listen(0, '127.0.0.1', () => resolve(server.unref()));
        }),
    ),
  );
  return {
    ports: Object.fromEntries(names.map((name, index) => [name, (servers[index]!.address() as AddressInfo).port])) as Record<Name, number>,
    release: async () => {
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}

export function spawnNode(name: string, entry: string, port: number, env: Record<string, string>, options: { collectGarbage?: boolean } = {}): BenchProcess {
  // BENCH_PROFILE=<name> writes a V8 CPU profile of that process to $BENCH_PROFILE_DIR (default /tmp).
  const profile = process.env.BENCH_PROFILE === name ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR ?? '/tmp'}`] : [];
  const collect = options.collectGarbage ? ['--expose-gc', '--import', fileURLToPath(new URL('./collect-garbage.mjs', import.meta.url))] : [];
  const child = spawn(process.execPath, [...profile, ...collect, ...SERVICE_NODE_FLAGS, '--import', 'tsx', entry], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return { name, child, output, port };
}

export async function waitFor(url: string, processes: BenchProcess[], init?: RequestInit, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, init);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer:\n${processes.map((p) => `--- ${p.name}\n${p.output.join('').slice(-2000)}`).join('\n')}`);
}

export async function stopAll(processes: BenchProcess[]): Promise<void> {
  await Promise.all(
    processes.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
}

/** The process and its descendants (router workers), from /proc. */
export async function processTree(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const tree = [pid];
  for (let index = 0; index < tree.length; index += 1) {
    for (const [child, parent] of parents) if (parent === tree[index]) tree.push(child);
  }
  return tree;
}

/** CPU time (user + system) used so far by a process and its descendants, in ms. */
export async function cpuMs(pid: number): Promise<number> {
  let ticks = 0;
  for (const member of await processTree(pid)) {
    try {
      const stat = await readFile(`/proc/${member}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks * CLOCK_TICK_MS;
}
