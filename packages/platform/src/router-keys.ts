import path from 'node:path';
import type { JSONWebKeySet, JWK, JWTVerifyGetKey } from 'jose';
import { ConfigError, readJson, type CommonConfig } from './config.js';
import { importSigningKeys, localKeyResolver, resolvePrivateJwks, toPublicJwk, type SigningKey } from './keys.js';
import { resolveRouterMacKeys, resolveRouterMacSecrets, type RouterMacKeys, type RouterMacSecret } from './router-mac.js';

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

/**
 * What the router makes router tokens with: its MAC secrets (router-mac.ts) and its signing keys. In
 * production a router with `ROUTER_MAC_SECRETS` needs no `ROUTER_SIGNING_KEYS`: it then only MACs, and
 * subgraphs configured without `ROUTER_JWKS` accept nothing else (README "Router tokens: signed or MACed").
 */
export async function resolveRouterTokenKeys(common: CommonConfig, env: Env = process.env): Promise<{ signingKeys: SigningKey[]; macSecrets: RouterMacSecret[] }> {
  const macSecrets = await resolveRouterMacSecrets(common, env);
  const macOnly = common.production && macSecrets.length > 0 && readJson<unknown>(env, 'ROUTER_SIGNING_KEYS') === undefined;
  return { signingKeys: macOnly ? [] : await resolveRouterSigningKeys(common, env), macSecrets };
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
  /** The router's public keys; null where only MACed router tokens are accepted. */
  signatures: JWTVerifyGetKey | null;
  macKeysFor(subgraph: string): RouterMacKeys;
}

/** Verification keys from public keys alone (tests, and a subgraph without ROUTER_MAC_KEYS). */
export function routerVerificationKeys(signatures: JWTVerifyGetKey | null, macKeysFor: (subgraph: string) => RouterMacKeys = () => new Map()): RouterVerificationKeys {
  return { signatures, macKeysFor };
}

/**
 * What a subgraph verifies router tokens with: `ROUTER_JWKS` (the router's public keys), or outside
 * production the public half of the router's generated development key; and `ROUTER_MAC_KEYS`. In
 * production with `ROUTER_MAC_KEYS` and without `ROUTER_JWKS`, only MACed router tokens are accepted.
 */
export async function resolveRouterVerificationKeys(common: CommonConfig, env: Env = process.env): Promise<RouterVerificationKeys> {
  const macKeysFor = await resolveRouterMacKeys(common, env);
  const configured = readJson<JSONWebKeySet>(env, 'ROUTER_JWKS');
  if (configured) {
    if (!Array.isArray(configured.keys) || configured.keys.length === 0) throw new ConfigError('ROUTER_JWKS must be a JWKS with at least one key');
    return routerVerificationKeys(localKeyResolver({ keys: configured.keys.map(toPublicJwk) }), macKeysFor);
  }
  if (common.production) {
    if (readJson<unknown>(env, 'ROUTER_MAC_KEYS') !== undefined) return routerVerificationKeys(null, macKeysFor);
    throw new ConfigError('ROUTER_JWKS (or ROUTER_MAC_KEYS, for MACed router tokens only) is required when NODE_ENV=production');
  }
  const keys = await resolveRouterSigningKeys(common, env);
  return routerVerificationKeys(localKeyResolver({ keys: keys.map((key) => key.publicJwk) }), macKeysFor);
}
