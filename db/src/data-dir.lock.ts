import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Who holds a data directory: enough to tell a live owner from a dead one, and to name it. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** Linux: the process's start time in clock ticks since boot, so that a recycled pid is not taken for the owner. */
  startTime: string | null;
}

export interface DataDirectoryLock {
  release(): Promise<void>;
}

/** Thrown when another live process holds the data directory; the message says what to do. */
export class DataDirectoryInUseError extends Error {
  override name = 'DataDirectoryInUseError';
}

/**
 * An exclusive lock on `dataDir`, held until `release()` or the process exits. PGlite is a
 * single-process database: a second process opening the same directory corrupts it.
 *
 * The lock is a folder `<dataDir>.lock` where each starter drops a file naming itself and then
 * looks for others: a live one means refusal; a dead one on this host is deleted. With one shared
 * lock file, taking a dead owner's file over leaves a moment when a third starter can also win;
 * here each file has a name of its own, so deleting a dead owner's never deletes a live one, and
 * of two starters the later always sees the earlier (two at the same instant may both refuse).
 * Not proper-lockfile: it judges staleness by an mtime refreshed on a timer, so a restart after a
 * crash waits out the timeout, an owner that is only stopped (SIGSTOP, a sleeping laptop) loses
 * its lock while it keeps the database open, and the refusal cannot name the owner.
 */
export async function lockDataDirectory(dataDir: string): Promise<DataDirectoryLock> {
  const folder = `${dataDir}.lock`;
  await mkdir(folder, { recursive: true });
  const me: LockOwner = { pid: process.pid, hostname: os.hostname(), startTime: startTimeOf(process.pid) };
  const mine = path.join(folder, `${me.pid}-${randomUUID()}.json`);
  // Written aside and renamed in, so that no other starter ever reads it half written.
  await writeFile(`${mine}.tmp`, JSON.stringify(me), { flag: 'wx' });
  await rename(`${mine}.tmp`, mine);
  const removeOnExit = () => rmSync(mine, { force: true });
  process.on('exit', removeOnExit);
  const release = async () => {
    process.off('exit', removeOnExit);
    await rm(mine, { force: true });
  };

  for (const name of await readdir(folder)) {
    const file = path.join(folder, name);
    if (file === mine || !name.endsWith('.json')) continue;
    const owner = await readOwner(file);
    if (!owner || (owner.hostname === me.hostname && !isAlive(owner))) {
      await rm(file, { force: true });
      continue;
    }
    await release();
    throw new DataDirectoryInUseError(inUseMessage(dataDir, owner, file, me.hostname));
  }
  return { release };
}

async function readOwner(file: string): Promise<LockOwner | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LockOwner;
  } catch (error) {
    // Released between the listing and the read, or (after a power cut only, as files are renamed in
    // whole) left empty: no live owner either way.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return null;
    throw error;
  }
}

function isAlive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: alive, but another user's.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const startTime = startTimeOf(owner.pid);
  return owner.startTime === null || startTime === null || startTime === owner.startTime;
}

/** Field 22 of /proc/<pid>/stat (Linux only); fields are counted after the command name, which may hold spaces and parentheses. */
export function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function inUseMessage(dataDir: string, owner: LockOwner, file: string, hostname: string): string {
  const relative = path.relative(process.cwd(), dataDir);
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : dataDir;
  if (owner.hostname !== hostname) {
    return `the embedded database in ${shown} is in use by process ${owner.pid} on host ${owner.hostname}; stop it there (or delete ${file} if that host is gone) or set DATA_DIR`;
  }
  return `the embedded database in ${shown} is in use by process ${owner.pid}; stop it or set DATA_DIR`;
}
