import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoShop } from '../scripts/demo-shop.js';
import { eventually } from './support/eventually.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

const run = promisify(execFile);
let graph: TestGraph;

beforeAll(async () => {
  // As under `pnpm start`: no SMTP server, so mail is written to the data directory.
  graph = await startTestGraph({ env: { SMTP_URL: '', ADMIN_EMAILS: 'ada@example.com' } });
});
afterAll(() => graph?.stop());

describe('README', () => {
  // Two sessions one command after another, three of them `pnpm` scripts (a few seconds each on a busy machine).
  it('runs the first curl session and the localization session as written', { timeout: 90_000 }, async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const block = /<!-- first-session:start -->\s*```bash\n([\s\S]*?)```\s*<!-- first-session:end -->/.exec(readme)?.[1];
    expect(block).toContain('URL=http://localhost:4000/graphql');
    // The first session, then "Enabling a currency and a language, importing rates" in the same shell, as its reader would.
    const localization = /<!-- localization-session:start -->\s*```bash\n([\s\S]*?)```\s*<!-- localization-session:end -->/.exec(readme)?.[1];
    const script = `${block!}\n${localization!}`.replaceAll('URL=http://localhost:4000/graphql', `URL=${graph.routerUrl}`);
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { env: { ...process.env, DATA_DIR: graph.dataDir } });
    const lines = stdout.trim().split('\n').filter(Boolean);
    const answers = lines.slice(0, 4).map((line) => JSON.parse(line) as unknown);
    // The answers the README says to expect, "…" standing for ids.
    const shown = /<!-- first-session-output:start -->\s*```json\n([\s\S]*?)```\s*<!-- first-session-output:end -->/.exec(readme)?.[1];
    const anyWhereElided = (value: unknown): unknown =>
      value === '…' ? expect.any(String) : Array.isArray(value) ? value.map(anyWhereElided) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, anyWhereElided(inner)])) : value;
    const expected = shown!.trim().split('\n').map((line) => anyWhereElided(JSON.parse(line)));
    expect(answers).toEqual(expected);
    const [, verified, , me] = answers as { data: Record<string, { id?: string; user?: { id: string } }> }[];
    expect(me!.data.me!.id).toBe(verified!.data.verifyEmail!.user!.id);

    expect(lines.slice(4, -1)).toEqual([
      '{"data":{"enableCurrency":{"__typename":"ShopUpdated"},"enableLocale":{"__typename":"ShopUpdated"}},"extensions":{"context":{"locale":"en","currency":"EUR"}}}',
      'imported db/seed/eurofxref-daily-2022-07-08.xml: 60 new rates for 2022-07-08; skipped HRK (no ISO 4217 currency any more)',
    ]);
    const shownLast = /The last answer[\s\S]*?```json\n(.*)\n```/.exec(readme)?.[1];
    expect(JSON.parse(lines.at(-1)!)).toEqual(JSON.parse(shownLast!.replace('13.874 ¥', '13.874\u00a0¥')));
  });

  // After the localization session: the demo shop enables more languages and currencies.
  it('runs the catalog session as written, on the demo shop', async () => {
    await seedDemoShop(graph.databaseUrl);
    // The router reads the shop's currencies every 200 ms here.
    await eventually(async () => expect((await graph.request('{ shop { currencies } }', {}, { headers: { 'x-meridian-currency': 'GBP' } })).context?.currency).toBe('GBP'));
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const block = /<!-- catalog-session:start -->\s*```bash\n([\s\S]*?)```\s*<!-- catalog-session:end -->/.exec(readme)?.[1];
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', block!.replaceAll('URL=http://localhost:4000/graphql', `URL=${graph.routerUrl}`)]);
    const shown = /<!-- catalog-session-output:start -->\s*```json\n([\s\S]*?)```\s*<!-- catalog-session-output:end -->/.exec(readme)?.[1];
    // Prices are formatted with a no-break space in German, shown as a plain space in the README.
    expect(stdout.trim().replaceAll('\u00a0', ' ').split('\n').filter(Boolean)).toEqual(shown!.trim().split('\n'));
  });

  // After the first session (Ada's account) and on the demo shop: two products in euros, checked out.
  it('runs the checkout session as written, and shows its confirmation e-mail', { timeout: 90_000 }, async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const block = /<!-- checkout-session:start -->\s*```bash\n([\s\S]*?)```\s*<!-- checkout-session:end -->/.exec(readme)?.[1];
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', block!.replaceAll('URL=http://localhost:4000/graphql', `URL=${graph.routerUrl}`)]);
    const shown = /<!-- checkout-session-output:start -->\s*```json\n([\s\S]*?)```\s*<!-- checkout-session-output:end -->/.exec(readme)?.[1];
    const elided = (value: unknown): unknown =>
      value === '…' ? expect.any(String) : Array.isArray(value) ? value.map(elided) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, elided(inner)])) : value;
    const answers = stdout.replaceAll('\u00a0', ' ').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as unknown);
    expect(answers).toEqual(shown!.trim().split('\n').map((line) => elided(JSON.parse(line))));

    // Its confirmation e-mail, as the notifications service wrote it to the data directory (the year of the order number aside).
    const command = /<!-- order-mail-session:start -->\s*```bash\n([\s\S]*?)```\s*<!-- order-mail-session:end -->/.exec(readme)?.[1];
    const mail = /<!-- order-mail-output:start -->\s*```\n([\s\S]*?)```\s*<!-- order-mail-output:end -->/.exec(readme)?.[1];
    const yearless = (text: string) => text.replaceAll(/M-\d{4}-/g, 'M-YYYY-').replaceAll('\u00a0', ' ').trim();
    const written = await eventually(async () => (await run('bash', ['-euo', 'pipefail', '-c', command!], { env: { ...process.env, DATA_DIR: graph.dataDir } })).stdout, 20_000);
    expect(yearless(written)).toBe(yearless(mail!));
  });
});
