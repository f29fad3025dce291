import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newNodeId } from '@meridian/platform';
import { eventually } from './support/eventually.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const SAMPLE = 'db/seed/eurofxref-daily-2022-07-08.xml';

let server: Server;
let served = 0;
let graph: TestGraph;

beforeAll(async () => {
  const sample = await readFile(new URL(`../${SAMPLE}`, import.meta.url));
  // A stand-in for https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml on loopback.
  server = createServer((req, res) => {
    served += 1;
    if (req.url === '/stats/eurofxref/eurofxref-daily.xml') res.writeHead(200, { 'content-type': 'text/xml' }).end(sample);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  graph = await startTestGraph({ env: { FX_RATES_URL: `http://127.0.0.1:${port}/stats/eurofxref/eurofxref-daily.xml` } });
});

afterAll(async () => {
  await graph?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

const storedRates = async () => Number((await graph.sql`select count(*)::int as count from localization.exchange_rates`)[0]!.count);

describe('exchange rates from the ECB', () => {
  it('are imported from FX_RATES_URL when the service starts (and then every FX_RATES_INTERVAL_MINUTES)', async () => {
    await eventually(async () => expect(await storedRates()).toBe(60));
    expect(served).toBeGreaterThanOrEqual(1);
  });

  it('are imported from a file by `pnpm fx:import`, once however often it runs', async () => {
    const env = { ...process.env, DATABASE_URL: graph.database.url, LOG_LEVEL: 'silent' };
    await graph.sql`delete from localization.exchange_rates`;
    const first = await run(process.execPath, ['--import', 'tsx', 'scripts/fx-import.ts', SAMPLE], { cwd: root, env });
    expect(first.stdout.trim()).toBe(`imported ${SAMPLE}: 60 new rates for 2022-07-08; skipped HRK (no ISO 4217 currency any more)`);
    const again = await run(process.execPath, ['--import', 'tsx', 'scripts/fx-import.ts', SAMPLE], { cwd: root, env });
    expect(again.stdout).toContain(': 0 new rates for 2022-07-08');
    expect(await storedRates()).toBe(60);
    // Into a running graph, as an admin (the embedded database of `pnpm start` is locked while it runs).
    await graph.sql`delete from localization.exchange_rates`;
    const admin = await graph.mintAccessToken({ userId: newNodeId('User'), roles: ['customer', 'admin'] });
    const sent = await run(process.execPath, ['--import', 'tsx', 'scripts/fx-import.ts', SAMPLE, '--graph', graph.routerUrl, '--token', admin], { cwd: root, env });
    expect(sent.stdout).toContain(': 60 new rates for 2022-07-08');
    const customer = await graph.mintAccessToken({ userId: newNodeId('User') });
    const forbidden = await run(process.execPath, ['--import', 'tsx', 'scripts/fx-import.ts', SAMPLE, '--graph', graph.routerUrl, '--token', customer], { cwd: root, env }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(forbidden).toMatchObject({ code: 1, stderr: expect.stringContaining('the graph refused the file') });
    const refused = await run(process.execPath, ['--import', 'tsx', 'scripts/fx-import.ts', 'README.md'], { cwd: root, env }).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('cannot import README.md') });
  });
});
