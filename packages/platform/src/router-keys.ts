import path from 'node:path';
import type { JSONWebKeySet, JWK, JWTVerifyGetKey } from 'jose';
import { ConfigError, readJson, type CommonConfig } from './config.js';
import { importSigningKeys, localKeyResolver, resolvePrivateJwks, toPublicJwk, type SigningKey } from './keys.js';

type Env = Record<string, string | undefined>;

const devRouterKeyFile = (common: CommonConfig) => path.join(common.dataDir, 'keys', 'router-signing-keys.json');
const devAuthKeyFile = (common: CommonConfig) => path.join(common.dataDir, 'keys', 'auth-signing-keys.json');

/** The router's signing keys: `ROUTER_SIGNING_KEYS`, or a generated key kept in the data directory outside production. */
export async function resolveRouterSigningKeys(common: CommonConfig, env: Env = process.env): Promise<SigningKey[]> {
  const jwks = await resolvePrivateJwks({
    configured: readJson<JWK[]>(env, 'ROUTER_SIGNING_KEYS'),
    variable: 'ROUTER_SIGNING_KEYS',
    production: common.production,
    devFile: devRouterKeyFile(common),
  });
  return importSigningKeys(jwks, 'ROUTER_SIGNING_KEYS');
}

/** The auth service's signing keys: `AUTH_SIGNING_KEYS`, or a generated key kept in the data directory outside production. */
export async function resolveAuthSigningKeys(common: CommonConfig, env: Env = process.env): Promise<SigningKey[]> {
  const jwks = await resolvePrivateJwks({
    configured: readJson<JWK[]>(env, 'AUTH_SIGNING_KEYS'),
    variable: 'AUTH_SIGNING_KEYS',
    production: common.production,
    devFile: devAuthKeyFile(common),
  });
  return importSigningKeys(jwks, 'AUTH_SIGNING_KEYS');
}

/**
 * What a subgraph verifies router tokens with: `ROUTER_JWKS` (the router's public keys), or outside
 * production the public half of the router's generated development key.
 */
export async function resolveRouterVerificationKeys(common: CommonConfig, env: Env = process.env): Promise<JWTVerifyGetKey> {
  const configured = readJson<JSONWebKeySet>(env, 'ROUTER_JWKS');
  if (configured) {
    if (!Array.isArray(configured.keys) || configured.keys.length === 0) throw new ConfigError('ROUTER_JWKS must be a JWKS with at least one key');
    return localKeyResolver({ keys: configured.keys.map(toPublicJwk) });
  }
  if (common.production) throw new ConfigError('ROUTER_JWKS is required when NODE_ENV=production');
  const keys = await resolveRouterSigningKeys(common, env);
  return localKeyResolver({ keys: keys.map((key) => key.publicJwk) });
}
