import { setTimeout as sleep } from 'node:timers/promises';
import { register } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseTimeoutError, createPool, type Sql } from './pool.js';

// Statements only (pg_sleep): no table is needed, so the server's own database serves.
const URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function gauge(name: string): Promise<number> {
  const text = await register.getSingleMetricAsString(name);
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)![1]);
}

async function timeouts(kind: string): Promise<number> {
  const text = await register.getSingleMetricAsString('meridian_db_timeouts_total');
  return Number(new RegExp(`kind="${kind}"\\} (\\S+)`).exec(text)?.[1] ?? 0);
}

describe('the pool at /metrics', () => {
  const pools: Sql[] = [];
  const pool = (options: Parameters<typeof createPool>[1]) => {
    const sql = createPool(URL, options);
    pools.push(sql);
    return sql;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((sql) => sql.end({ timeout: 1 })));
  });

  it('shows connections in use and queries waiting for one', async () => {
    const sql = pool({ max: 1 });
    expect(await gauge('meridian_db_pool_connections_max')).toBe(1);
    const slow = sql.unsafe('select pg_sleep(0.4)');
    const queued = sql.unsafe('select 1');
    const both = Promise.all([slow, queued]);
    await sleep(150);
    expect([await gauge('meridian_db_pool_connections_in_use'), await gauge('meridian_db_pool_waiting')]).toEqual([1, 1]);
    await both;
    expect([await gauge('meridian_db_pool_connections_in_use'), await gauge('meridian_db_pool_waiting')]).toEqual([0, 0]);
  });

  it('counts a transaction as in use while it holds its connection', async () => {
    const sql = pool({ max: 2 });
    let inside!: () => void;
    const holding = new Promise<void>((resolve) => (inside = resolve));
    const transaction = sql.begin(async (tx) => {
      await tx.unsafe('select 1');
      inside();
      await sleep(200);
    });
    await holding;
    expect(await gauge('meridian_db_pool_connections_in_use')).toBe(1);
    await transaction;
    expect(await gauge('meridian_db_pool_connections_in_use')).toBe(0);
  });

  it('counts statement, acquire and transaction timeouts where they are raised', async () => {
    const before = { statement: await timeouts('statement'), acquire: await timeouts('acquire'), transaction: await timeouts('transaction') };

    const limited = pool({ max: 1, statementTimeoutMs: 200, acquireTimeoutMs: 100 });
    await expect(limited.unsafe('select pg_sleep(1)')).rejects.toMatchObject({ code: '57014' });
    expect(await timeouts('statement')).toBe(before.statement + 1);

    const busy = pool({ max: 1, acquireTimeoutMs: 100 });
    const holding = busy.unsafe('select pg_sleep(0.4)').execute();
    await expect(busy.unsafe('select 1')).rejects.toBeInstanceOf(DatabaseTimeoutError);
    await holding;
    expect(await timeouts('acquire')).toBe(before.acquire + 1);

    const lifetime = pool({ max: 1, statementTimeoutMs: 150 });
    await expect(lifetime.begin(async (tx) => {
      await tx.unsafe('select 1');
      await sleep(400);
    })).rejects.toMatchObject({ code: 'TRANSACTION_TIMEOUT' });
    expect(await timeouts('transaction')).toBe(before.transaction + 1);
    // The pool's own cancellation of a statement is not PostgreSQL's statement_timeout.
    expect(await timeouts('statement')).toBe(before.statement + 1);
  });
});
