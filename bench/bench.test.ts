import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './lib/processes.js';

const run = promisify(execFile);

// A smoke run of `pnpm bench --smoke`: every arm of every scenario answers correctly and without
// errors. The figures it prints are not checked here: speed is judged in full benchmark runs.
describe('pnpm bench --smoke', () => {
  it('runs every scenario on every arm without an error', { timeout: 300_000 }, async () => {
    const { stdout } = await run(process.execPath, ['--max-semi-space-size=32', '--import', 'tsx', 'bench/run.ts', '--smoke', '--no-save'], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
    for (const heading of ['### 1.', '### 2.', '### 3.', '### 4.', '### 5.', '### 6.', '### 7.', '### 8.', '### 9.', '### 10.', '### 11.', '### Targets']) expect(stdout).toContain(heading);
    const rows = stdout.split('\n').filter((line) => /^\| (direct|router|meridian|stock|hive|hive-rust|sameToken|distinctTokens|prices) \|/.test(line));
    expect(rows.length).toBe(2 + 4 + 4 + 2 + 1 + 4 + 4 + 4 + 1);
    for (const row of rows) {
      const cells = row.split('|').map((cell) => cell.trim());
      expect({ row: cells[1], requestsPerSecond: Number(cells[2]) > 0, errors: cells.at(-2) }).toEqual({ row: cells[1], requestsPerSecond: true, errors: '0' });
    }
    expect(stdout).toMatch(/\| 100 \| 100 \| [\d.]+ \| 2\.0 \|/);
    // Scenario 11 counted the statements of a checkout in each subgraph it touches.
    for (const subgraph of ['orders', 'cart', 'inventory', 'catalog']) expect(stdout).toMatch(new RegExp(`^\\| ${subgraph} \\| [1-9][\\d.]* \\|$`, 'm'));
  });
});
