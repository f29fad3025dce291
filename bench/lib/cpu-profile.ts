import { Session } from 'node:inspector/promises';

/** Where a CPU profile's time went, in ms, by a few coarse groups of code. */
export type CpuBreakdown = Record<string, number>;

const GRAPHQL = new Set(['graphql', '@apollo/server', '@apollo/subgraph', '@apollo/federation-internals', 'dataloader', '@escape.tech/graphql-armor']);

function groupOf(functionName: string, url: string): string {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(idle)') return 'idle (waiting for PostgreSQL or the socket)';
  const packages = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)];
  const name = packages.at(-1)?.[1];
  if (name === 'postgres') return 'postgres.js';
  if (name === 'drizzle-orm') return 'drizzle';
  if (name && (GRAPHQL.has(name) || name.startsWith('@escape.tech/'))) return 'graphql-js, Apollo Server, DataLoader';
  if (name) return 'other libraries';
  if (url.startsWith('node:') || url === '') return 'V8 and Node (promise jobs, HTTP, streams)';
  if (url.includes('/bench/')) return 'the bench client';
  return 'Meridian code (resolvers, authorization, loaders)';
}

/** Profiles this process while `run` runs, sampling every 0.5 ms, and sums the self time by group. */
export async function profileCpu(run: () => Promise<void>): Promise<CpuBreakdown> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    await run();
    const { profile } = await session.post('Profiler.stop');
    const groups = new Map(profile.nodes.map((node) => [node.id, groupOf(node.callFrame.functionName, node.callFrame.url)]));
    const breakdown: CpuBreakdown = {};
    profile.samples?.forEach((id, index) => {
      const group = groups.get(id) ?? 'V8 and Node (promise jobs, HTTP, streams)';
      breakdown[group] = (breakdown[group] ?? 0) + (profile.timeDeltas?.[index] ?? 0) / 1000;
    });
    return breakdown;
  } finally {
    session.disconnect();
  }
}

/** One markdown line: each group's ms per request and share, largest first. */
export function whereTheTimeGoes({ n, requests, ms }: { n: number; requests: number; ms: CpuBreakdown }): string {
  const total = Object.values(ms).reduce((sum, value) => sum + value, 0);
  const parts = Object.entries(ms)
    .sort(([, a], [, b]) => b - a)
    .map(([group, value]) => `${group} ${(value / requests).toFixed(1)} ms (${Math.round((100 * value) / total)}%)`);
  return (
    `Where the time goes at N = ${n}, per request (a CPU profile of the bench process, which runs both the users service and the client, ` +
    `over ${requests} more requests; ${(total / requests).toFixed(1)} ms each while profiled): ${parts.join(', ')}.`
  );
}
