import { createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { ConfigError, readJson, type CommonConfig } from './config.js';
import { readOrCreateDevFile } from './keys.js';

/**
 * Keyed MACs for router tokens (README "Security", "Router tokens"). The router holds secrets
 * (`ROUTER_MAC_SECRETS`); from each it derives one key per subgraph with HKDF-SHA256, the subgraph's
 * name as the info, and each subgraph holds only its own (`ROUTER_MAC_KEYS`): a key taken from one
 * subgraph can vouch for calls to that subgraph only. An HMAC costs microseconds where an Ed25519
 * signature costs 0.04 ms to make and 0.14 ms to check (bench/results/CHANGES.md).
 */

type Env = Record<string, string | undefined>;

/** One of the router's secrets. The router MACs with the first only; later entries are not used (a rotation's old secret may stay listed). */
export interface RouterMacSecret {
  kid: string;
  secret: Buffer;
}

/** A subgraph's router-token keys by `kid`. */
export type RouterMacKeys = ReadonlyMap<string, KeyObject>;

const MIN_SECRET_BYTES = 32;
const KEY_BYTES = 32;
const HKDF_SALT = 'meridian router token';
const KID = /^[A-Za-z0-9._-]{1,64}$/;

/** The key a subgraph checks router tokens with, derived from one of the router's secrets. */
export function deriveRouterMacKey(secret: Buffer, subgraph: string): KeyObject {
  return createSecretKey(Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, subgraph, KEY_BYTES)));
}

function decodeKey(value: unknown, variable: string, minBytes: number): Buffer {
  const bytes = typeof value === 'string' && /^[A-Za-z0-9_-]+$/.test(value) ? Buffer.from(value, 'base64url') : Buffer.alloc(0);
  if (bytes.length < minBytes) throw new ConfigError(`${variable}: each key must be at least ${minBytes} random bytes, base64url-encoded`);
  return bytes;
}

/** Each kid well spelled, and none twice among `scopes` (kids are unique per subgraph in ROUTER_MAC_KEYS). */
function checkKids(entries: { kid: string; scope?: string }[], variable: string): void {
  for (const { kid } of entries) if (!KID.test(kid)) throw new ConfigError(`${variable}: each entry needs a kid of letters, digits, '.', '_' or '-'`);
  const scoped = entries.map(({ kid, scope }) => `${scope ?? ''}\n${kid}`);
  if (new Set(scoped).size !== scoped.length) throw new ConfigError(`${variable}: two entries${entries[0]?.scope === undefined ? '' : ' for one subgraph'} share a kid`);
}

/** A fresh secret entry for `ROUTER_MAC_SECRETS` (`pnpm keys:generate`). */
export function generateRouterMacSecret(): { kid: string; secret: string } {
  return { kid: `mac-${randomBytes(6).toString('base64url')}`, secret: randomBytes(MIN_SECRET_BYTES).toString('base64url') };
}

/** The `ROUTER_MAC_KEYS` entries for `subgraph`, from the router's `ROUTER_MAC_SECRETS` entries. */
export function routerMacKeyEntries(secrets: { kid: string; secret: string }[], subgraph: string): { kid: string; subgraph: string; key: string }[] {
  return secrets.map(({ kid, secret }) => ({ kid, subgraph, key: deriveRouterMacKey(Buffer.from(secret, 'base64url'), subgraph).export().toString('base64url') }));
}

function parseSecrets(value: unknown, variable: string): RouterMacSecret[] {
  if (!Array.isArray(value) || value.length === 0) throw new ConfigError(`${variable} must be a JSON list of { "kid", "secret" }, the current one first`);
  const secrets = value.map((entry: { kid?: unknown; secret?: unknown }) => ({ kid: String(entry?.kid ?? ''), secret: decodeKey(entry?.secret, variable, MIN_SECRET_BYTES) }));
  checkKids(secrets, variable);
  return secrets;
}

const devSecretsFile = (common: CommonConfig) => path.join(common.dataDir, 'keys', 'router-mac-secrets.json');

async function devSecrets(common: CommonConfig): Promise<RouterMacSecret[]> {
  const contents = await readOrCreateDevFile(devSecretsFile(common), async () => JSON.stringify([generateRouterMacSecret()], null, 2));
  return parseSecrets(JSON.parse(contents), devSecretsFile(common));
}

/**
 * The router's MAC secrets: `ROUTER_MAC_SECRETS`, or outside production, when the router's keys are not
 * configured either (`ROUTER_SIGNING_KEYS`), one generated once into the data directory. Empty otherwise:
 * router tokens are then signed with Ed25519, as subgraphs configured by hand with `ROUTER_JWKS` expect.
 */
export async function resolveRouterMacSecrets(common: CommonConfig, env: Env = process.env): Promise<RouterMacSecret[]> {
  const configured = readJson<unknown>(env, 'ROUTER_MAC_SECRETS');
  if (configured !== undefined) return parseSecrets(configured, 'ROUTER_MAC_SECRETS');
  return common.production || readJson<unknown>(env, 'ROUTER_SIGNING_KEYS') !== undefined ? [] : devSecrets(common);
}

/**
 * What a subgraph checks MACed router tokens with, by subgraph name: `ROUTER_MAC_KEYS` (entries
 * `{ "kid", "subgraph", "key" }`, each used only for the subgraph it names; asking for a subgraph it
 * names none for is a ConfigError, at start-up), or outside production, when neither ROUTER_MAC_KEYS
 * nor ROUTER_JWKS is set, keys derived from the secrets the router would use with the same environment.
 */
export async function resolveRouterMacKeys(common: CommonConfig, env: Env = process.env): Promise<(subgraph: string) => RouterMacKeys> {
  const configured = readJson<unknown>(env, 'ROUTER_MAC_KEYS');
  if (configured !== undefined) {
    if (!Array.isArray(configured) || configured.length === 0) throw new ConfigError('ROUTER_MAC_KEYS must be a JSON list of { "kid", "subgraph", "key" } (`pnpm keys:generate`)');
    const entries = configured.map((entry: { kid?: unknown; subgraph?: unknown; key?: unknown }) => {
      if (typeof entry?.subgraph !== 'string' || entry.subgraph === '') throw new ConfigError('ROUTER_MAC_KEYS: each entry names the subgraph its key is for');
      return { kid: String(entry.kid ?? ''), subgraph: entry.subgraph, key: createSecretKey(decodeKey(entry.key, 'ROUTER_MAC_KEYS', KEY_BYTES)) };
    });
    checkKids(
      entries.map((entry) => ({ kid: entry.kid, scope: entry.subgraph })),
      'ROUTER_MAC_KEYS',
    );
    return (subgraph) => {
      const own = entries.filter((entry) => entry.subgraph === subgraph);
      // A misplaced line would otherwise show only as every MACed call refused.
      if (own.length === 0) throw new ConfigError(`ROUTER_MAC_KEYS holds no key for the ${subgraph} subgraph (its entries name ${[...new Set(entries.map((entry) => entry.subgraph))].join(', ')})`);
      return new Map(own.map((entry) => [entry.kid, entry.key]));
    };
  }
  if (common.production || readJson<unknown>(env, 'ROUTER_JWKS') !== undefined) return () => new Map();
  // Beside the router, in its environment (`pnpm start`, the tests' graph) or its data directory (compose).
  const secrets = await resolveRouterMacSecrets(common, env);
  return (subgraph) => new Map(secrets.map((secret) => [secret.kid, deriveRouterMacKey(secret.secret, subgraph)]));
}
