import { readInt, readUrl } from '@meridian/platform';

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
  };
}
