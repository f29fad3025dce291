import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import argon2 from 'argon2';
import { ServiceStoppingError } from '@meridian/platform';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import { ARGON2_OPTIONS, HASHING_CONCURRENCY_ENV, type HashJob, type HashJobResult } from './password-hasher.protocol.js';

export { ARGON2_OPTIONS } from './password-hasher.protocol.js';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Whether `password` matches `hash`; a malformed hash is a mismatch, never an exception. */
  verify(hash: string, password: string): Promise<boolean>;
  /** Spends the same work as a real verification, so an unknown account answers as slowly as a known one. */
  verifyAgainstDummy(password: string): Promise<void>;
  needsRehash(hash: string): boolean;
  /** Jobs being computed and waiting now (/metrics). */
  load(): { running: number; waiting: number };
  /**
   * Takes no more jobs and fails every waiting and running one with `ServiceStoppingError` (answered
   * SERVICE_UNAVAILABLE), then stops the hashing process. Called once requests had their time to drain.
   */
  close(): Promise<void>;
}

// The hashing process runs at a lower priority: under load, the kernel serves requests before hashes.
const HASHING_NICENESS = 10;
const WORKER = new URL('./password-hasher.worker.ts', import.meta.url);
const PREFETCHED_JOBS = 1;

/**
 * argon2 in a child process at a lower CPU priority, at most `concurrency` jobs at once and
 * `queueLimit` waiting (beyond that `QueueFull`). A burst of sign-ins then takes only the CPU that
 * nothing else wants: requests served by the same machine keep their latency. The child is restarted
 * if it dies; the jobs it held fail.
 */
export async function createPasswordHasher(options: { concurrency: number; queueLimit: number }): Promise<PasswordHasher> {
  // One waiting job is sent ahead to wait in the child (password-hasher.worker.ts); it still counts against the queue limit.
  const prefetched = Math.min(PREFETCHED_JOBS, options.queueLimit);
  const limiter = new ConcurrencyLimiter(options.concurrency + prefetched, options.queueLimit - prefetched);
  const stopping = () => new ServiceStoppingError('the service is shutting down; it checks no more passwords');
  const pending = new Map<number, { resolve: (value: string | boolean) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let closing = false;
  let child: ChildProcess;

  function start(): ChildProcess {
    const spawned = fork(WORKER, { execArgv: ['--import', 'tsx'], env: { ...process.env, UV_THREADPOOL_SIZE: String(Math.max(4, options.concurrency)), [HASHING_CONCURRENCY_ENV]: String(options.concurrency) }, serialization: 'json' });
    if (spawned.pid !== undefined) {
      try {
        setPriority(spawned.pid, HASHING_NICENESS);
      } catch {
        // Not permitted here: hashing runs at normal priority, still bounded by the limiter.
      }
    }
    spawned.on('message', (result: HashJobResult) => {
      const job = pending.get(result.id);
      if (!job) return;
      pending.delete(result.id);
      if (result.ok) job.resolve(result.value);
      else job.reject(new Error(`password hashing failed: ${result.error}`));
    });
    spawned.on('exit', () => {
      for (const job of pending.values()) job.reject(closing ? stopping() : new Error('the password hashing process exited'));
      pending.clear();
      if (!closing) child = start();
    });
    // A failed send (the channel closed under it) is answered through send's callback and 'exit';
    // without a listener, the 'error' event would end the whole service.
    spawned.on('error', () => {});
    return spawned;
  }
  child = start();

  function submit(job: HashJob extends infer J ? (J extends unknown ? Omit<J, 'id'> : never) : never): Promise<string | boolean> {
    return new Promise((resolve, reject) => {
      if (closing || !child.connected) {
        reject(closing ? stopping() : new Error('the password hashing process is not running'));
        return;
      }
      const id = (nextId += 1);
      pending.set(id, { resolve, reject });
      child.send({ ...job, id } as HashJob, (error) => {
        if (!error || !pending.delete(id)) return;
        reject(closing ? stopping() : error);
      });
    });
  }

  const hash = (password: string) => limiter.run(async () => (await submit({ op: 'hash', password })) as string);
  const verify = (hashed: string, password: string) => limiter.run(async () => (await submit({ op: 'verify', hash: hashed, password })) as boolean);
  const dummyHash = await hash('meridian-dummy-password');

  return {
    hash,
    verify,
    verifyAgainstDummy: async (password) => {
      await verify(dummyHash, password);
    },
    needsRehash: (hashed) => argon2.needsRehash(hashed, ARGON2_OPTIONS),
    load: () => ({ running: Math.min(limiter.active, options.concurrency), waiting: limiter.pending + Math.max(0, limiter.active - options.concurrency) }),
    close: async () => {
      closing = true;
      limiter.close(stopping());
      for (const job of pending.values()) job.reject(stopping());
      pending.clear();
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        // The child exits when its channel closes; the jobs it held were failed above.
        if (child.connected) child.disconnect();
        else child.kill();
      });
    },
  };
}
