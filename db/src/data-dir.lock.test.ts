import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirectoryInUseError, lockDataDirectory, startTimeOf, type LockOwner } from './data-dir.lock.js';

const run = promisify(execFile);
let base: string;
let dataDir: string;

beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'meridian-lock-unit-'));
  dataDir = path.join(base, 'pglite');
});
afterEach(() => rm(base, { recursive: true, force: true }));

const owners = async () => (await readdir(`${dataDir}.lock`)).filter((name) => name.endsWith('.json'));
const leaveLock = (owner: LockOwner) => writeFile(path.join(`${dataDir}.lock`, `left-${owner.pid}.json`), JSON.stringify(owner));

async function deadPid(): Promise<number> {
  const child = execFile(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('lockDataDirectory', () => {
  it('refuses a second holder, naming the first and the directory relative to the current one', async () => {
    const lock = await lockDataDirectory(dataDir);
    const cwd = process.cwd();
    process.chdir(base);
    try {
      await expect(lockDataDirectory(dataDir)).rejects.toThrow(
        new DataDirectoryInUseError(`the embedded database in pglite is in use by process ${process.pid}; stop it or set DATA_DIR`),
      );
    } finally {
      process.chdir(cwd);
    }
    expect(await owners()).toHaveLength(1);
    await lock.release();
    expect(await owners()).toEqual([]);
    await (await lockDataDirectory(dataDir)).release();
  });

  it('takes over a lock left by a dead process, or by a live one that reuses its pid', async () => {
    await (await lockDataDirectory(dataDir)).release();
    await leaveLock({ pid: await deadPid(), hostname: os.hostname(), startTime: null });
    const startTime = startTimeOf(process.pid);
    if (startTime) await leaveLock({ pid: process.pid, hostname: os.hostname(), startTime: `${Number(startTime) - 1}` });
    const lock = await lockDataDirectory(dataDir);
    expect(await owners()).toEqual([expect.stringMatching(new RegExp(`^${process.pid}-.*\\.json$`))]);
    await lock.release();
  });

  it('lets at most one of many simultaneous starters win, over a dead owner’s lock', async () => {
    await (await lockDataDirectory(dataDir)).release();
    await leaveLock({ pid: await deadPid(), hostname: os.hostname(), startTime: null });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => lockDataDirectory(dataDir)));
    const winners = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    expect(winners.length).toBeLessThanOrEqual(1);
    expect((await owners()).filter((name) => name.startsWith(`${process.pid}-`))).toHaveLength(winners.length);
    await Promise.all(winners.map((lock) => lock.release()));
  });

  it('refuses a lock held on another host, whatever its pid', async () => {
    await (await lockDataDirectory(dataDir)).release();
    await leaveLock({ pid: await deadPid(), hostname: 'elsewhere.example', startTime: null });
    await expect(lockDataDirectory(dataDir)).rejects.toThrow(/in use by process \d+ on host elsewhere\.example; stop it there \(or delete .*left-\d+\.json if that host is gone\)/);
    expect(await owners()).toHaveLength(1);
  });

  it('is removed when its process exits without releasing it', async () => {
    const script = `import('./data-dir.lock.ts').then((m) => m.lockDataDirectory(process.argv[1])).then(() => process.exit(0));`;
    await run(process.execPath, ['--import', 'tsx', '-e', script, dataDir], { cwd: import.meta.dirname });
    expect(await owners()).toEqual([]);
  });
});
