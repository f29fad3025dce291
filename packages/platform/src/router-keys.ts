import path from 'node:path';
import type { JSONWebKeySet, JWK, JWTVerifyGetKey } from 'jose';
import { ConfigError, readJson, type CommonConfig } from './config.js';
import { importSigningKeys, localKeyResolver, resolvePrivateJwks, toPublicJwk, type SigningKey } from './keys.js';
import { resolveRouterMacKeys, type RouterMacKeys } from './router-mac.js';

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

/** What a subgraph checks router tokens with: the router's public keys, and the MAC keys held for each subgraph (router-mac.ts). */
export interface RouterVerificationKeys {
  signatures: JWTVerifyGetKey;
  macKeysFor(subgraph: string): RouterMacKeys;
}

/** Verification keys from public keys alone (tests, and a subgraph without ROUTER_MAC_KEYS). */
export function routerVerificationKeys(signatures: JWTVerifyGetKey, macKeysFor: (subgraph: string) => RouterMacKeys = () => new Map()): RouterVerificationKeys {
  return { signatures, macKeysFor };
}

/**
 * What a subgraph verifies router tokens with: `ROUTER_JWKS` (the router's public keys), or outside
 * production the public half of the router's generated development key; and `ROUTER_MAC_KEYS`.
 */
export async function resolveRouterVerificationKeys(common: CommonConfig, env: Env = process.env): Promise<RouterVerificationKeys> {
  const macKeysFor = await resolveRouterMacKeys(common, env);
  const configured = readJson<JSONWebKeySet>(env, 'ROUTER_JWKS');
  if (configured) {
    if (!Array.isArray(configured.keys) || configured.keys.length === 0) throw new ConfigError('ROUTER_JWKS must be a JWKS with at least one key');
    return routerVerificationKeys(localKeyResolver({ keys: configured.keys.map(toPublicJwk) }), macKeysFor);
  }
  if (common.production) throw new ConfigError('ROUTER_JWKS is required when NODE_ENV=production');
  const keys = await resolveRouterSigningKeys(common, env);
  return routerVerificationKeys(localKeyResolver({ keys: keys.map((key) => key.publicJwk) }), macKeysFor);
}
