// `node --import tsx bench/distinct-load.ts <file> [seconds]`: scenario 2's distinct-token load (the two-subgraph query,
// 32 connections, a different user's token on each request) against a graph kept running by
// `BENCH_SERVE_TOKENS=20000 node --import tsx bench/run.ts --quick --serve > <file>`, printing req/s, latency and the
// router's, auth's and users' CPU-ms per request. For A/B measurements of one change without a full run
// (bench/results/CHANGES.md), e.g. BENCH_ROUTER_MAC=off on the serving run.
import { readFile } from 'node:fs/promises';
import { runLoad } from './lib/load.js';

const [file, seconds = '20'] = process.argv.slice(2);
if (!file) throw new Error('usage: bench/distinct-load.ts <the --serve output> [seconds]');
const printed = await readFile(file, 'utf8');
const served = JSON.parse(printed.slice(printed.indexOf('{\n'))) as { ports: { router: number }; pids: Record<string, number>; tokens: string[] };
const result = await runLoad(
  {
    url: `http://127.0.0.1:${served.ports.router}/graphql`,
    body: JSON.stringify({ query: '{ me { email addresses { id line1 city postalCode countryCode } } }' }),
    headerSets: served.tokens.map((jwt) => ({ authorization: `Bearer ${jwt}` })),
    connections: 32,
    durationSeconds: Number(seconds),
  },
  { router: served.pids.router!, auth: served.pids.auth!, users: served.pids.users! },
);
console.log(JSON.stringify(result));
