import { ConfigError, isProduction, readOptionalString, readPublicBaseUrl, readInt, readUrl } from '@meridian/platform';
import { parseCorsOrigins } from './cors.js';
import { PERSISTED_QUERIES_MODES, type PersistedQueriesMode } from './persisted-queries.js';

type Env = Record<string, string | undefined>;

export interface RouterConfig {
  port: number;
  /** Where the auth service publishes the keys that sign access tokens. */
  authJwksUrl: string;
  /** Subgraph URL overrides from `<NAME>_SUBGRAPH_URL`, e.g. `USERS_SUBGRAPH_URL`. */
  subgraphUrls: Record<string, string>;
  /** How many proxies in front of the router append to X-Forwarded-For; 0 trusts none. */
  trustProxyHops: number;
  /** How often the list of ended sessions is read from the auth service. */
  sessionDenylistRefreshMs: number;
  /** Origins whose browser pages may call the API with credentials (`CORS_ORIGINS`). */
  corsOrigins: string[];
  /** Which operations the router runs: only the persisted query list's, those plus APQ, or any (`PERSISTED_QUERIES`). */
  persistedQueries: PersistedQueriesMode;
}

/** `CORS_ORIGINS`, or outside production the origin of the web app (`PUBLIC_BASE_URL`); in production none unless set. */
function readCorsOrigins(env: Env): string[] {
  const value = readOptionalString(env, 'CORS_ORIGINS');
  if (value !== undefined) return parseCorsOrigins(value);
  return isProduction(env) ? [] : [new URL(readPublicBaseUrl(env)).origin];
}

/** `PERSISTED_QUERIES`: `safelist` by default in production, `apq` elsewhere. */
function readPersistedQueriesMode(env: Env): PersistedQueriesMode {
  const value = readOptionalString(env, 'PERSISTED_QUERIES') ?? (isProduction(env) ? 'safelist' : 'apq');
  if (!(PERSISTED_QUERIES_MODES as readonly string[]).includes(value)) {
    throw new ConfigError(`PERSISTED_QUERIES must be one of ${PERSISTED_QUERIES_MODES.join(', ')}, got "${value}"`);
  }
  return value as PersistedQueriesMode;
}

export function readRouterConfig(env: Env = process.env): RouterConfig {
  const subgraphUrls: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const match = /^([A-Z][A-Z0-9_]*)_SUBGRAPH_URL$/.exec(name);
    if (match?.[1] && value) subgraphUrls[match[1].toLowerCase()] = readUrl(env, name);
  }
  return {
    port: readInt(env, 'PORT', 4000, { min: 0, max: 65535 }),
    authJwksUrl: readUrl(env, 'AUTH_JWKS_URL', 'http://localhost:4001/.well-known/jwks.json'),
    subgraphUrls,
    trustProxyHops: readInt(env, 'TRUST_PROXY_HOPS', 0, { min: 0, max: 10 }),
    sessionDenylistRefreshMs: readInt(env, 'SESSION_DENYLIST_REFRESH_MS', 1_000, { min: 100, max: 60_000 }),
    corsOrigins: readCorsOrigins(env),
    persistedQueries: readPersistedQueriesMode(env),
  };
}
