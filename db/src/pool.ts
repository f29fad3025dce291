import { SpanKind, SpanStatusCode, context, trace, type Span } from '@opentelemetry/api';
import postgres, { type Sql } from 'postgres';
import { Counter, Gauge, register } from 'prom-client';

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
  observe(sql);
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

/** Queries the pool itself cancelled: their SQLSTATE 57014 is not PostgreSQL's statement_timeout. */
const cancelledByPool = new WeakSet<object>();

/** Cancels a query: unsent, it never runs; running, PostgreSQL is asked to cancel it (its error then settles it). */
export function cancelQuery(pending: PromiseLike<unknown>, error: Error): void {
  const query = pending as unknown as DriverQuery;
  cancelledByPool.add(query);
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
          timeouts().inc({ kind: 'acquire' });
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
      timeouts().inc({ kind: 'transaction' });
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

/*
 * Observability of the pool, around the same entry points: what its connections are doing, for
 * /metrics (prom-client's default registry: the pool belongs to the process, whatever services it
 * serves), and a span per statement and transaction for OpenTelemetry. No maintained OpenTelemetry
 * instrumentation exists for postgres.js (the contrib one is for `pg`), so this is the thin wrapper.
 */

/** What one pool is doing now. */
interface PoolActivity {
  max: number;
  /** Queries sent to the pool (not inside a transaction) and not yet settled; `state` is set once a connection has taken one. */
  pending: Set<DriverQuery>;
  /** Transactions holding their connection (their body is running, or committing). */
  transactions: number;
}

const pools = new Set<PoolActivity>();

/** The pool's metrics, made once per process (prom-client's registry refuses a second metric of a name). */
function processMetric<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

function inUse(activity: PoolActivity): number {
  // A connection is postgres.js's backend state object: pipelined queries share one.
  const connections = new Set<unknown>();
  for (const query of activity.pending) if (query.state !== null) connections.add(query.state);
  return connections.size + activity.transactions;
}

function waiting(activity: PoolActivity): number {
  let count = 0;
  for (const query of activity.pending) if (query.state === null) count += 1;
  return count;
}

const sum = (measure: (activity: PoolActivity) => number) => [...pools].reduce((total, activity) => total + measure(activity), 0);

function registerPoolMetrics(): void {
  timeouts();
  processMetric(
    'meridian_db_pool_connections_in_use',
    () =>
      new Gauge({
        name: 'meridian_db_pool_connections_in_use',
        help: "Connections of this process's database pool running a statement or held by a transaction",
        collect() {
          this.set(sum(inUse));
        },
      }),
  );
  processMetric(
    'meridian_db_pool_waiting',
    () =>
      new Gauge({
        name: 'meridian_db_pool_waiting',
        help: 'Queries and transactions waiting for a connection of the pool',
        collect() {
          this.set(sum(waiting));
        },
      }),
  );
  processMetric(
    'meridian_db_pool_connections_max',
    () =>
      new Gauge({
        name: 'meridian_db_pool_connections_max',
        help: 'Size of the pool (DATABASE_POOL_MAX)',
        collect() {
          this.set(sum((activity) => activity.max));
        },
      }),
  );
}

/** Database work given up on a time limit, by kind: statement (statement_timeout), acquire, transaction, idle_in_transaction. */
function timeouts(): Counter<'kind'> {
  return processMetric(
    'meridian_db_timeouts_total',
    () =>
      new Counter({
        name: 'meridian_db_timeouts_total',
        help: 'Database work given up on a time limit: statement (PostgreSQL statement_timeout), acquire (no connection in time), transaction (its deadline), idle_in_transaction',
        labelNames: ['kind'],
      }),
  );
}

const tracer = trace.getTracer('@meridian/db');

interface Target {
  'db.system.name': string;
  'db.namespace': string;
  'server.address': string;
  'server.port': number;
}

/**
 * A span for one statement, a child of the request being served (statements outside a traced request,
 * such as the outbox's polling, are not traced). It carries the statement's text as sent, with its
 * `$n` placeholders: bound values never reach a span, they may be personal data.
 */
function statementSpan(query: DriverQuery, target: Target): Span | undefined {
  if (!trace.getSpan(context.active())) return undefined;
  const text = query.strings.join(' ');
  const operation = /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? 'SQL';
  return tracer.startSpan(operation, {
    kind: SpanKind.CLIENT,
    attributes: { ...target, 'db.operation.name': operation, 'db.query.text': text },
  });
}

/** Ends a span, failed with the error's code only: a driver's message can quote a value (a duplicate key's detail). */
function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    const code = (error as { code?: unknown }).code;
    const type = typeof code === 'string' ? code : error instanceof Error ? error.name : 'error';
    span.setAttributes({ 'error.type': type, ...(typeof code === 'string' ? { 'db.response.status_code': code } : {}) });
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** Counts the time limits PostgreSQL itself enforces: statement_timeout and idle_in_transaction_session_timeout. */
function countServerTimeout(query: DriverQuery, error: unknown): void {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === '57014' && !cancelledByPool.has(query)) timeouts().inc({ kind: 'statement' });
  else if (code === '25P03') timeouts().inc({ kind: 'idle_in_transaction' });
}

/** Wraps `unsafe` so each query it makes is traced from its execution to its answer, and tracked while pending (if `pending`). */
function observeQueries(unsafe: Unsafe, target: Target, pending?: Set<DriverQuery>): Unsafe {
  return ((...args: Parameters<Unsafe>) => {
    const query = unsafe(...args) as unknown as DriverQuery;
    const execute = query.handler;
    const observed: DriverQuery['handler'] = (executed) => {
      const span = statementSpan(executed, target);
      pending?.add(executed);
      // A query failed early by a time limit may still settle later, as the `select 1` run in its place.
      let done = false;
      const { resolve, reject } = executed;
      executed.resolve = (value) => {
        if (!done) {
          done = true;
          pending?.delete(executed);
          if (span) endSpan(span);
        }
        resolve(value);
      };
      executed.reject = (error) => {
        if (!done) {
          done = true;
          pending?.delete(executed);
          countServerTimeout(executed, error);
          if (span) endSpan(span, error);
        }
        reject(error);
      };
      execute(executed);
    };
    observed.debug = execute.debug;
    query.handler = observed;
    return query as unknown as ReturnType<Unsafe>;
  }) as Unsafe;
}

/**
 * The innermost wrapper of the pool's entry points: it sees what the driver does, so a transaction
 * given up by its deadline is counted in use until its connection is actually released.
 */
function observe(sql: Sql): void {
  const options = sql.options as unknown as { max: number; host: string[]; port: number[]; database: string };
  const target: Target = {
    'db.system.name': 'postgresql',
    'db.namespace': options.database,
    'server.address': options.host[0] ?? 'localhost',
    'server.port': options.port[0] ?? 5432,
  };
  const activity: PoolActivity = { max: options.max, pending: new Set(), transactions: 0 };
  registerPoolMetrics();
  pools.add(activity);
  const end = sql.end.bind(sql);
  sql.end = ((...args: Parameters<Sql['end']>) => end(...args).finally(() => pools.delete(activity))) as Sql['end'];

  sql.unsafe = observeQueries(sql.unsafe, target, activity.pending);
  const begin = sql.begin.bind(sql) as unknown as (options: string, fn: (tx: Sql) => unknown) => Promise<unknown>;
  sql.begin = ((options: string | ((tx: Sql) => unknown), fn?: (tx: Sql) => unknown) => {
    const body = typeof options === 'function' ? options : fn!;
    const span = trace.getSpan(context.active()) ? tracer.startSpan('transaction', { kind: SpanKind.CLIENT, attributes: { ...target } }) : undefined;
    let holding = false;
    const run = () =>
      begin(typeof options === 'string' ? options : '', (tx: Sql) => {
        holding = true;
        activity.transactions += 1;
        tx.unsafe = observeQueries(tx.unsafe, target);
        return body(tx);
      });
    const transaction = span ? context.with(trace.setSpan(context.active(), span), run) : run();
    return transaction.then(
      (value) => {
        if (holding) activity.transactions -= 1;
        span?.end();
        return value;
      },
      (error: unknown) => {
        if (holding) activity.transactions -= 1;
        if (span) endSpan(span, error);
        throw error;
      },
    );
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
