import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { QueryLimits } from './armor.js';

/** Thrown at start-up when the environment is incomplete or malformed; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function raw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

export function readString(env: Env, name: string, fallback?: string): string {
  const value = raw(env, name) ?? fallback;
  if (value === undefined) throw new ConfigError(`${name} is required`);
  return value;
}

export function readOptionalString(env: Env, name: string): string | undefined {
  return raw(env, name);
}

export function readInt(env: Env, name: string, fallback: number, bounds: { min?: number; max?: number } = {}): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) throw new ConfigError(`${name} must be an integer, got "${value}"`);
  const parsed = Number(value);
  if ((bounds.min !== undefined && parsed < bounds.min) || (bounds.max !== undefined && parsed > bounds.max)) {
    throw new ConfigError(`${name} must be between ${bounds.min ?? '-inf'} and ${bounds.max ?? 'inf'}, got ${parsed}`);
  }
  return parsed;
}

export function readUrl(env: Env, name: string, fallback?: string): string {
  const value = readString(env, name, fallback);
  try {
    return new URL(value).toString();
  } catch {
    throw new ConfigError(`${name} must be an absolute URL`);
  }
}

export function readJson<T>(env: Env, name: string): T | undefined {
  const value = raw(env, name);
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as T;
  } catch {
    throw new ConfigError(`${name} must be valid JSON`);
  }
}

/** Settings every Meridian process reads the same way. */
export interface CommonConfig {
  production: boolean;
  logLevel: string;
  host: string;
  dataDir: string;
  tokenIssuer: string;
  tokenAudience: string;
  maxBodyBytes: number;
  /** Subgraphs take only the router's requests, whose `_entities` batches can be large. */
  subgraphMaxBodyBytes: number;
  shutdownTimeoutMs: number;
  queryLimits: QueryLimits;
  /** How log lines are written (`LOG_FORMAT`): JSON, or pino-pretty's lines for a person at a terminal. */
  logFormat: LogFormat;
  /** The bearer token `/metrics` asks for (`METRICS_TOKEN`); without one, production serves no metrics. */
  metricsToken: string | undefined;
}

export type LogFormat = 'json' | 'pretty';

/**
 * `LOG_FORMAT`: `json` or `pretty`; unset, pretty only for a person reading a terminal in development
 * (not production, standard output a TTY), so that anything collecting the output gets JSON.
 */
export function readLogFormat(env: Env = process.env, stdoutIsTTY: boolean = process.stdout.isTTY === true): LogFormat {
  const value = raw(env, 'LOG_FORMAT');
  if (value === undefined) return !isProduction(env) && stdoutIsTTY ? 'pretty' : 'json';
  if (value !== 'json' && value !== 'pretty') throw new ConfigError(`LOG_FORMAT must be json or pretty, got "${value}"`);
  return value;
}

/** Shortest `METRICS_TOKEN` accepted: it guards the metrics of a production process. */
export const METRICS_TOKEN_MIN_LENGTH = 24;

export function readMetricsToken(env: Env = process.env): string | undefined {
  const value = raw(env, 'METRICS_TOKEN');
  if (value !== undefined && value.length < METRICS_TOKEN_MIN_LENGTH) {
    throw new ConfigError(`METRICS_TOKEN must be at least ${METRICS_TOKEN_MIN_LENGTH} characters (e.g. openssl rand -base64 32)`);
  }
  return value;
}

export function isProduction(env: Env = process.env): boolean {
  return env.NODE_ENV === 'production';
}

/**
 * The web app's address (`PUBLIC_BASE_URL`), without a trailing slash: e-mail links point to it, and
 * outside production the router lets its origin call the API from a browser.
 */
export function readPublicBaseUrl(env: Env = process.env): string {
  return readUrl(env, 'PUBLIC_BASE_URL', 'http://localhost:3000').replace(/\/+$/, '');
}

export function readCommonConfig(env: Env = process.env): CommonConfig {
  const production = isProduction(env);
  return {
    production,
    logLevel: readString(env, 'LOG_LEVEL', production ? 'info' : 'info'),
    host: readString(env, 'HOST', '127.0.0.1'),
    dataDir: path.resolve(readString(env, 'DATA_DIR', path.join(repoRoot, '.data'))),
    tokenIssuer: readString(env, 'TOKEN_ISSUER', 'urn:meridian:auth'),
    tokenAudience: readString(env, 'TOKEN_AUDIENCE', 'urn:meridian:api'),
    maxBodyBytes: readInt(env, 'MAX_BODY_BYTES', 64 * 1024, { min: 1024, max: 10 * 1024 * 1024 }),
    subgraphMaxBodyBytes: readInt(env, 'SUBGRAPH_MAX_BODY_BYTES', 4 * 1024 * 1024, { min: 1024, max: 64 * 1024 * 1024 }),
    shutdownTimeoutMs: readInt(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, { min: 0 }),
    queryLimits: {
      depth: readInt(env, 'GRAPHQL_MAX_DEPTH', 10, { min: 2, max: 100 }),
      aliases: readInt(env, 'GRAPHQL_MAX_ALIASES', 10, { min: 0, max: 1000 }),
      cost: readInt(env, 'GRAPHQL_MAX_COST', 5_000, { min: 10 }),
      tokens: readInt(env, 'GRAPHQL_MAX_TOKENS', 1_500, { min: 50 }),
      directives: readInt(env, 'GRAPHQL_MAX_DIRECTIVES', 20, { min: 0 }),
    },
    logFormat: readLogFormat(env),
    metricsToken: readMetricsToken(env),
  };
}

export interface DatabaseConfig {
  url: string;
  /** Connections in this process's pool (`DATABASE_POOL_MAX`). */
  poolMax: number;
  /** Longest a statement may run and a transaction may last (`DATABASE_STATEMENT_TIMEOUT_MS`). */
  statementTimeoutMs: number;
  /** Longest a query or transaction waits for a connection (`DATABASE_ACQUIRE_TIMEOUT_MS`). */
  acquireTimeoutMs: number;
}

/** `DATABASE_URL`, the size of this process's pool and the time limits of its database work. */
export function readDatabaseConfig(env: Env = process.env): DatabaseConfig {
  return {
    url: readString(env, 'DATABASE_URL'),
    poolMax: readInt(env, 'DATABASE_POOL_MAX', 10, { min: 1, max: 200 }),
    statementTimeoutMs: readInt(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 5_000, { min: 100, max: 600_000 }),
    acquireTimeoutMs: readInt(env, 'DATABASE_ACQUIRE_TIMEOUT_MS', 2_000, { min: 100, max: 600_000 }),
  };
}
