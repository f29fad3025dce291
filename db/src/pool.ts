import postgres, { type Sql } from 'postgres';

export type { Sql };

export interface PoolOptions {
  /** Connections in this process's pool. The embedded database allows exactly one. */
  max?: number;
  applicationName?: string;
  /** Called with the text of every statement sent; used by tests and benchmarks to count them. */
  onStatement?: (statement: string) => void;
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
  const { onStatement } = options;
  return postgres(url, {
    max: options.max ?? 10,
    idle_timeout: 30,
    connect_timeout: 10,
    backoff: reconnectDelaySeconds,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? 'meridian' },
    ...(onStatement ? { debug: (_connection: number, statement: string) => onStatement(statement) } : {}),
  });
}

export async function isReachable(sql: Sql): Promise<boolean> {
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  }
}
