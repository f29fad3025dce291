import postgres, { type Sql } from 'postgres';

export type { Sql };

export interface PoolOptions {
  /** Connections in this process's pool. The embedded database allows exactly one. */
  max?: number;
  applicationName?: string;
  /** Called with the text of every statement sent; used by tests and benchmarks to count them. */
  onStatement?: (statement: string) => void;
  /**
   * Longest a statement may run, and a transaction may last once it holds its connection. PostgreSQL
   * cancels a statement past it (`statement_timeout`) and ends a session left idle inside a
   * transaction for as long (`idle_in_transaction_session_timeout`); the pool itself rolls back a
   * transaction that reaches it, whatever it is waiting for, so its work never commits later.
   * Unset: no limit (migrations).
   */
  statementTimeoutMs?: number;
  /**
   * Longest a query or a transaction waits for a connection (all busy, or the database unreachable
   * and reconnecting). Past it, it fails with CONNECTION_ACQUIRE_TIMEOUT and is never sent. Unset: no limit.
   */
  acquireTimeoutMs?: number;
}

export type DatabaseTimeoutCode = 'CONNECTION_ACQUIRE_TIMEOUT' | 'TRANSACTION_TIMEOUT';

/** A query or transaction given up by the pool's own time limits; nothing of it was or will be committed. */
export class DatabaseTimeoutError extends Error {
  override name = 'DatabaseTimeoutError';

  constructor(
    readonly code: DatabaseTimeoutCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Seconds before a dropped connection reconnects. postgres.js counts failures across the whole pool
 * and, by default, waits up to 20 s once a few connections have dropped together (a pooler restart
 * drops them all), though the server may be back at once: start at 50 ms, double, stop at 2 s, with jitter.
 */
export function reconnectDelaySeconds(failures: number): number {
  return Math.min(0.05 * 2 ** Math.min(failures, 6), 2) * (0.5 + Math.random() / 2);
}

/** The one pool of a process, made at start. */
export function createPool(url: string, options: PoolOptions = {}): Sql {
  const { onStatement, statementTimeoutMs, acquireTimeoutMs } = options;
  const sql = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: 30,
    connect_timeout: 10,
    backoff: reconnectDelaySeconds,
    onnotice: () => {},
    connection: {
      application_name: options.applicationName ?? 'meridian',
      // Sent in the startup message, so every connection has them from its first statement, reconnects too.
      ...(statementTimeoutMs === undefined ? {} : { statement_timeout: statementTimeoutMs, idle_in_transaction_session_timeout: statementTimeoutMs }),
    },
    ...(onStatement ? { debug: (_connection: number, statement: string) => onStatement(statement) } : {}),
  });
  if (acquireTimeoutMs !== undefined) boundConnectionWaits(sql, acquireTimeoutMs);
  if (statementTimeoutMs !== undefined) boundTransactions(sql, statementTimeoutMs, acquireTimeoutMs ?? 0);
  return sql;
}

/*
 * postgres.js has neither an acquire timeout nor a transaction deadline, so both are added around the
 * pool's own entry points (`unsafe`, which drizzle and `begin` use, and `begin`). They rely on the
 * internals of the pinned postgres.js 3.4.9 (patches/postgres@3.4.9.patch), which tests/database-timeouts.test.ts
 * exercises: a query's `handler` runs when it is executed; its `state` is set once a connection has
 * taken it; `resolve`/`reject` settle it; `canceller` sends a CancelRequest for a running statement.
 */
interface DriverQuery {
  handler: ((query: DriverQuery) => void) & { debug?: unknown };
  state: unknown;
  strings: string[];
  args: unknown[];
  options: Record<string, unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  canceller: ((query: DriverQuery) => Promise<void>) | null;
}

type Unsafe = Sql['unsafe'];

/**
 * Fails the query now, and makes sure it never runs: whichever connection takes it later runs
 * `select 1` in its place (postgres.js cannot take back a query it handed to a reconnecting
 * connection, and a cancelled one would leave that connection stuck).
 */
function abandonUnsent(query: DriverQuery, error: Error): void {
  query.reject(error);
  query.strings = ['select 1'];
  query.args = [];
  query.options = { simple: true, prepare: false };
}

/** Cancels a query: unsent, it never runs; running, PostgreSQL is asked to cancel it (its error then settles it). */
export function cancelQuery(pending: PromiseLike<unknown>, error: Error): void {
  const query = pending as unknown as DriverQuery;
  if (query.state === null) return abandonUnsent(query, error);
  const cancel = query.canceller;
  query.canceller = null;
  // The CancelRequest goes over a connection of its own; if the server is unreachable it fails, harmlessly.
  cancel?.(query).catch(() => {});
}

function boundConnectionWaits(sql: Sql, acquireTimeoutMs: number): void {
  const unsafe: Unsafe = sql.unsafe;
  sql.unsafe = ((...args: Parameters<Unsafe>) => {
    const query = unsafe(...args) as unknown as DriverQuery;
    const execute = query.handler;
    const timed: DriverQuery['handler'] = (executed) => {
      const timer = setTimeout(() => {
        if (executed.state === null) {
          abandonUnsent(executed, new DatabaseTimeoutError('CONNECTION_ACQUIRE_TIMEOUT', `no database connection within ${acquireTimeoutMs} ms`));
        }
      }, acquireTimeoutMs);
      const { resolve, reject } = executed;
      executed.resolve = (value) => (clearTimeout(timer), resolve(value));
      executed.reject = (error) => (clearTimeout(timer), reject(error));
      execute(executed);
    };
    timed.debug = execute.debug;
    query.handler = timed;
    return query;
  }) as unknown as Unsafe;
}

/**
 * A transaction gets `lifetimeMs` from the moment it holds its connection (and the caller waits at
 * most the acquire timeout on top). When that runs out, the statement it is running is cancelled,
 * any further statement is refused, COMMIT is never sent, and the caller gets TRANSACTION_TIMEOUT at
 * once, even if PostgreSQL cannot be reached to roll back yet: the rollback follows on the connection.
 */
function boundTransactions(sql: Sql, lifetimeMs: number, acquireTimeoutMs: number): void {
  const begin = sql.begin.bind(sql) as unknown as (options: string, fn: (tx: Sql) => unknown) => Promise<unknown>;
  sql.begin = ((options: string | ((tx: Sql) => unknown), fn?: (tx: Sql) => unknown) => {
    const body = typeof options === 'function' ? options : fn!;
    const expired = () => new DatabaseTimeoutError('TRANSACTION_TIMEOUT', `transaction rolled back after ${lifetimeMs} ms`);
    const running = new Set<PromiseLike<unknown>>();
    let timedOut = false;
    let committing = false;
    let giveUp!: (error: Error) => void;
    const givenUp = new Promise<never>((_, reject) => (giveUp = reject));
    const expire = () => {
      if (timedOut || committing) return;
      timedOut = true;
      for (const query of running) cancelQuery(query, expired());
      giveUp(expired());
    };
    const timers = [setTimeout(expire, acquireTimeoutMs + lifetimeMs)];

    const transaction = begin(typeof options === 'string' ? options : '', async (tx: Sql) => {
      if (timedOut) throw expired();
      timers.push(setTimeout(expire, lifetimeMs));
      const unsafe: Unsafe = tx.unsafe;
      tx.unsafe = ((...args: Parameters<Unsafe>) => {
        if (timedOut) throw expired();
        const query = unsafe(...args);
        const driven = query as unknown as DriverQuery;
        const { resolve, reject } = driven;
        running.add(query);
        driven.resolve = (value) => (running.delete(query), resolve(value));
        driven.reject = (error) => (running.delete(query), reject(error));
        return query;
      }) as Unsafe;
      const result = await body(tx);
      // Checked right before postgres.js sends COMMIT (no timer can run in between): late work rolls back.
      if (timedOut) throw expired();
      committing = true;
      return result;
    });
    // Once the caller has been answered, the transaction still settles (rolled back); nobody waits for it.
    transaction.catch(() => {});
    return Promise.race([transaction, givenUp]).finally(() => timers.forEach(clearTimeout));
  }) as unknown as Sql['begin'];
}

/** Readiness probes answer within this, reachable or not. */
export const READY_TIMEOUT_MS = 800;

/** Whether the database answers `select 1` within `timeoutMs`. */
export async function isReachable(sql: Sql, timeoutMs = READY_TIMEOUT_MS): Promise<boolean> {
  const probe = sql.unsafe('select 1');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      cancelQuery(probe, new DatabaseTimeoutError('CONNECTION_ACQUIRE_TIMEOUT', `the database did not answer within ${timeoutMs} ms`));
      resolve(false);
    }, timeoutMs);
  });
  try {
    return await Promise.race([probe.then(() => true, () => false), late]);
  } finally {
    clearTimeout(timer);
  }
}
