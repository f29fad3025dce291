import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
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
  try {
    return JSON.parse(await readFile(options.devFile, 'utf8')) as JWK[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const keys = [await generateSigningJwk()];
  await mkdir(path.dirname(options.devFile), { recursive: true, mode: 0o700 });
  // 'wx' so two processes starting at once cannot overwrite each other's key.
  try {
    await writeFile(options.devFile, JSON.stringify(keys, null, 2), { mode: 0o600, flag: 'wx' });
    return keys;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return JSON.parse(await readFile(options.devFile, 'utf8')) as JWK[];
  }
}
