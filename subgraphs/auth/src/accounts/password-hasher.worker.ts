// The password hashing process (see password-hasher.ts): argon2 at a lower CPU priority than the
// service, so sign-ins never slow other requests down. One message in, one message out, in turn.
import argon2 from 'argon2';
import { ARGON2_OPTIONS, HASHING_CONCURRENCY_ENV, type HashJob, type HashJobResult } from './password-hasher.protocol.js';

async function run(job: HashJob): Promise<HashJobResult> {
  try {
    if (job.op === 'hash') return { id: job.id, ok: true, value: await argon2.hash(job.password, ARGON2_OPTIONS) };
    try {
      return { id: job.id, ok: true, value: await argon2.verify(job.hash, job.password) };
    } catch {
      // A malformed hash is a mismatch.
      return { id: job.id, ok: true, value: false };
    }
  } catch (error) {
    return { id: job.id, ok: false, error: error instanceof Error ? error.message : 'argon2 failed' };
  }
}

// The service sends one job more than this process computes at once (HASHING_CONCURRENCY_ENV): the next
// hash starts the moment one ends, not after a round trip through the service's busy event loop.
const concurrency = Math.max(1, Number(process.env[HASHING_CONCURRENCY_ENV]) || 1);
const queued: HashJob[] = [];
let running = 0;

function next(): void {
  while (running < concurrency && queued.length > 0) {
    const job = queued.shift()!;
    running += 1;
    void run(job).then((result) => {
      running -= 1;
      next();
      process.send?.(result);
    });
  }
}

process.on('message', (job: HashJob) => {
  queued.push(job);
  next();
});
process.on('disconnect', () => process.exit(0));
// The service decides when hashing stops: a signal sent to the whole process group (systemd, a
// terminal's Ctrl-C) must not kill the jobs of a service that is still draining. It exits with its channel.
process.on('SIGTERM', () => {});
process.on('SIGINT', () => {});
