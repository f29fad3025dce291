import { randomBytes, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { ConfigError } from './config.js';

export const SIGNING_ALGORITHM = 'EdDSA';

/** A private Ed25519 key ready to sign, with the public half to publish. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function generateSigningJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { ...jwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' };
}

function assertEd25519PrivateJwk(jwk: JWK, source: string): asserts jwk is JWK & { kid: string; d: string } {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string' || typeof jwk.x !== 'string') {
    throw new ConfigError(`${source}: every key must be a private Ed25519 JWK (kty OKP, crv Ed25519, d, x)`);
  }
  if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new ConfigError(`${source}: every key needs a kid`);
}

export function toPublicJwk(jwk: JWK): JWK {
  const { kty, crv, x, kid } = jwk;
  return { kty, crv, x, kid, alg: SIGNING_ALGORITHM, use: 'sig' };
}

/** Imports private JWKs (newest first: the first one signs, all of them verify). */
export async function importSigningKeys(jwks: JWK[], source: string): Promise<SigningKey[]> {
  if (!Array.isArray(jwks) || jwks.length === 0) throw new ConfigError(`${source}: at least one key is required`);
  return Promise.all(
    jwks.map(async (jwk) => {
      assertEd25519PrivateJwk(jwk, source);
      const privateKey = (await importJWK(jwk, SIGNING_ALGORITHM)) as CryptoKey;
      return { kid: jwk.kid, privateKey, publicJwk: toPublicJwk(jwk) };
    }),
  );
}

export function publicKeySet(keys: SigningKey[]): JSONWebKeySet {
  return { keys: keys.map((key) => key.publicJwk) };
}

export function localKeyResolver(keySet: JSONWebKeySet): JWTVerifyGetKey {
  return createLocalJWKSet(keySet);
}

/** The key set behind a token could not be fetched and none was seen before: the caller should answer 503, not 401. */
export class KeySetUnavailable extends Error {
  override name = 'KeySetUnavailable';
}

/**
 * Verification keys published at `url` (the auth service's JWKS), cached for ten minutes and
 * refetched at once for an unknown `kid` (at most every 30 s). While the URL cannot be reached,
 * the last key set seen keeps verifying, so an outage of the auth service does not turn every
 * valid token into an invalid one.
 */
export function remoteKeyResolver(url: string, cacheMaxAgeMs = 600_000): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(url), { cooldownDuration: 30_000, cacheMaxAge: cacheMaxAgeMs, timeoutDuration: 2_000 });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      const lastSeen = remote.jwks();
      if (lastSeen) return createLocalJWKSet(lastSeen)(header, token);
      throw new KeySetUnavailable(`the key set at ${url} cannot be fetched`, { cause: error });
    }
  };
}

/**
 * Reads a development file created once: when it does not exist yet, `create()` is written whole
 * to a private file and linked into place, so a process starting at the same moment either wins
 * the link or reads the complete file the winner linked, never a half-written one.
 */
export async function readOrCreateDevFile(file: string, create: () => Promise<string>): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const contents = await create();
  const draft = `${file}.${process.pid}.${randomUUID()}`;
  await writeFile(draft, contents, { mode: 0o600, flag: 'wx' });
  try {
    await link(draft, file);
    return contents;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFile(file, 'utf8');
  } finally {
    await unlink(draft);
  }
}

/**
 * Private keys come from configuration. Outside production, when none is configured, a key is
 * generated once and kept under the data directory so tokens survive restarts of the embedded graph.
 */
export async function resolvePrivateJwks(options: {
  configured: JWK[] | undefined;
  variable: string;
  production: boolean;
  devFile: string;
}): Promise<JWK[]> {
  if (options.configured) return options.configured;
  if (options.production) throw new ConfigError(`${options.variable} is required when NODE_ENV=production`);
  const contents = await readOrCreateDevFile(options.devFile, async () => JSON.stringify([await generateSigningJwk()], null, 2));
  return JSON.parse(contents) as JWK[];
}

const MIN_SECRET_BYTES = 32;

/**
 * A symmetric secret (base64 or base64url, at least 32 bytes) from configuration, or outside
 * production one generated once and kept in the data directory.
 */
export async function resolveSecret(options: { configured: string | undefined; variable: string; production: boolean; devFile: string }): Promise<Buffer> {
  let encoded = options.configured;
  if (encoded === undefined) {
    if (options.production) throw new ConfigError(`${options.variable} is required when NODE_ENV=production`);
    encoded = (await readOrCreateDevFile(options.devFile, async () => randomBytes(MIN_SECRET_BYTES).toString('base64url'))).trim();
  }
  const secret = Buffer.from(encoded, 'base64url');
  if (secret.length < MIN_SECRET_BYTES) throw new ConfigError(`${options.variable} must hold at least ${MIN_SECRET_BYTES} random bytes, base64-encoded`);
  return secret;
}
