import postgres, { type Sql } from 'postgres';

export type { Sql };

export interface PoolOptions {
  /** Connections in this process's pool. The embedded database allows exactly one. */
  max?: number;
  applicationName?: string;
  /** Called with the text of every statement sent; used by tests and benchmarks to count them. */
  onStatement?: (statement: string) => void;
}

/** The one pool of a process, made at start. */
export function createPool(url: string, options: PoolOptions = {}): Sql {
  const { onStatement } = options;
  return postgres(url, {
    max: options.max ?? 10,
    idle_timeout: 30,
    connect_timeout: 10,
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
