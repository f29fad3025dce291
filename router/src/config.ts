import { ConfigError, isProduction, readOptionalString, readPublicBaseUrl, readInt, readUrl } from '@meridian/platform';
import { parseCorsOrigins } from './cors.js';
import { PERSISTED_QUERIES_MODES, type PersistedQueriesMode } from './persisted-queries.js';

type Env = Record<string, string | undefined>;

export interface RouterConfig {
  port: number;
  /** Where the auth service publishes the keys that sign access tokens. */
  authJwksUrl: string;
  /** Subgraph URL overrides from `<NAME>_SUBGRAPH_URL`, e.g. `USERS_SUBGRAPH_URL`: each replica's URL, in order. */
  subgraphUrls: Record<string, string[]>;
  /** How long a failing replica is left out at first (`SUBGRAPH_EJECTION_MS`); each failed readiness probe doubles it. */
  subgraphEjectionMs: number;
  /** The longest a failing replica is left out before its next readiness probe (`SUBGRAPH_EJECTION_MAX_MS`). */
  subgraphEjectionMaxMs: number;
  /** How many proxies in front of the router append to X-Forwarded-For; 0 trusts none. */
  trustProxyHops: number;
  /** How often the list of ended sessions is read from the auth service. */
  sessionDenylistRefreshMs: number;
  /** How often the shop's enabled locales and currencies are read from the localization service. */
  shopSettingsRefreshMs: number;
  /** How long a signed-in user's language and currency preferences are kept (a change through this router is seen at once). */
  preferencesTtlMs: number;
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

/**
 * A `<NAME>_SUBGRAPH_URL`: one URL, or the replicas of one subgraph, comma-separated. Each is an
 * http(s) URL of its own origin, and all serve the same path: the router sends a call to any of them.
 */
function parseSubgraphUrls(variable: string, value: string): string[] {
  const urls = value.split(',').map((entry) => {
    const trimmed = entry.trim();
    if (trimmed === '') throw new ConfigError(`${variable} has an empty entry`);
    let url: URL | undefined;
    try {
      url = new URL(trimmed);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'http:' && url?.protocol !== 'https:') throw new ConfigError(`${variable} entry "${trimmed}" is not an absolute http(s) URL`);
    return url;
  });
  const origins = new Set<string>();
  for (const url of urls) {
    if (origins.has(url.origin)) throw new ConfigError(`${variable} names ${url.origin} twice`);
    origins.add(url.origin);
  }
  const paths = new Set(urls.map((url) => url.pathname + url.search));
  if (paths.size > 1) throw new ConfigError(`${variable}: every replica must serve the same path, got ${[...paths].join(', ')}`);
  return urls.map((url) => url.toString());
}

export function readRouterConfig(env: Env = process.env): RouterConfig {
  const subgraphUrls: Record<string, string[]> = {};
  for (const name of Object.keys(env)) {
    const match = /^([A-Z][A-Z0-9_]*)_SUBGRAPH_URL$/.exec(name);
    const value = readOptionalString(env, name);
    if (match?.[1] && value !== undefined) subgraphUrls[match[1].toLowerCase()] = parseSubgraphUrls(name, value);
  }
  const subgraphEjectionMs = readInt(env, 'SUBGRAPH_EJECTION_MS', 1_000, { min: 50, max: 60_000 });
  const subgraphEjectionMaxMs = readInt(env, 'SUBGRAPH_EJECTION_MAX_MS', 30_000, { max: 600_000 });
  if (subgraphEjectionMaxMs < subgraphEjectionMs) throw new ConfigError('SUBGRAPH_EJECTION_MAX_MS must be at least SUBGRAPH_EJECTION_MS');
  return {
    port: readInt(env, 'PORT', 4000, { min: 0, max: 65535 }),
    authJwksUrl: readUrl(env, 'AUTH_JWKS_URL', 'http://localhost:4001/.well-known/jwks.json'),
    subgraphUrls,
    subgraphEjectionMs,
    subgraphEjectionMaxMs,
    trustProxyHops: readInt(env, 'TRUST_PROXY_HOPS', 0, { min: 0, max: 10 }),
    sessionDenylistRefreshMs: readInt(env, 'SESSION_DENYLIST_REFRESH_MS', 1_000, { min: 100, max: 60_000 }),
    shopSettingsRefreshMs: readInt(env, 'SHOP_SETTINGS_REFRESH_MS', 5_000, { min: 100, max: 600_000 }),
    preferencesTtlMs: readInt(env, 'PREFERENCES_TTL_MS', 30_000, { min: 0, max: 3_600_000 }),
    corsOrigins: readCorsOrigins(env),
    persistedQueries: readPersistedQueriesMode(env),
  };
}
