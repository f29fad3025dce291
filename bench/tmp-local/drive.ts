import { readFileSync } from 'node:fs';
import { runLoad } from '../lib/load.js';
const served = JSON.parse(readFileSync('/tmp/serve.json', 'utf8')) as { ports: Record<string, number>; pids: Record<string, number>; tokens: string[] };
const body = JSON.stringify({ query: '{ me { email addresses { id line1 city postalCode countryCode } } }' });
const target = process.argv[2] ?? 'router';
const seconds = Number(process.argv[3] ?? 15);
const headerSets = served.tokens.map((jwt) => ({ authorization: `Bearer ${jwt}` }));
const watched = { gateway: served.pids[target]!, auth: served.pids.auth!, users: served.pids.users! };
for (let round = 0; round < 2; round++) {
  const result = await runLoad({ url: `http://127.0.0.1:${served.ports[target]}/graphql`, body, headerSets, connections: 16, durationSeconds: seconds }, watched);
  console.log(target, JSON.stringify({ rps: result.requestsPerSecond, p50: result.p50Ms, errors: result.errors, cpu: result.cpuMsPerRequest }));
}
