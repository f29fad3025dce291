import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter, QueueFull } from './concurrency-limiter.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('ConcurrencyLimiter', () => {
  it('never runs more than `concurrency` tasks at once, and runs every queued task', async () => {
    const limiter = new ConcurrencyLimiter(2, 10);
    let active = 0;
    let peak = 0;
    const gates = Array.from({ length: 6 }, deferred);
    const runs = gates.map((gate, index) =>
      limiter.run(async () => {
        active += 1;
        peak = Math.max(peak, active);
        await gate.promise;
        active -= 1;
        return index;
      }),
    );
    await Promise.resolve();
    expect(active).toBe(2);
    expect(limiter.pending).toBe(4);
    gates.forEach((gate) => gate.resolve());
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(limiter.pending).toBe(0);
  });

  it('refuses new work when the queue is full, and accepts again once it drains', async () => {
    const limiter = new ConcurrencyLimiter(1, 1);
    const gate = deferred();
    const first = limiter.run(() => gate.promise);
    const second = limiter.run(async () => 'queued');
    await expect(limiter.run(async () => 'refused')).rejects.toBeInstanceOf(QueueFull);
    gate.resolve();
    await first;
    expect(await second).toBe('queued');
    expect(await limiter.run(async () => 'again')).toBe('again');
  });

  it('frees the slot when a task throws', async () => {
    const limiter = new ConcurrencyLimiter(1, 0);
    await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run(async () => 'next')).toBe('next');
  });
});
