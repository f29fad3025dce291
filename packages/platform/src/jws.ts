import { KeyObject, createHmac, createPublicKey, sign, timingSafeEqual, verify } from 'node:crypto';
import { errors, type CryptoKey, type JWTVerifyGetKey } from 'jose';
import { SIGNING_ALGORITHM } from './keys.js';

/**
 * Compact EdDSA JWS with Node's own Ed25519: jose's WebCrypto path costs about 0.19 ms per verification
 * and 0.15 ms per signature on the benchmark machine, `crypto.verify` 0.14 and `crypto.sign` 0.04
 * (bench/results/CHANGES.md). The tokens are standard JWTs either way; claims are checked by the callers.
 * Router tokens may instead carry an HMAC-SHA256 (HS256) with a key only the router and one subgraph
 * hold (router-mac.ts): a few microseconds each way.
 */

/** The keyed MAC router tokens may carry instead of a signature (RFC 7518 §3.2). */
export const MAC_ALGORITHM = 'HS256';

const keyObjects = new WeakMap<object, KeyObject>();

type ResolvedKey = Awaited<ReturnType<JWTVerifyGetKey>> | CryptoKey;

function asKeyObject(key: ResolvedKey): KeyObject {
  if (key instanceof KeyObject) return key;
  if (key instanceof Uint8Array) throw new TypeError('an Ed25519 key is required, not a shared secret');
  let known = keyObjects.get(key);
  if (!known) {
    known = key instanceof globalThis.CryptoKey ? KeyObject.from(key) : createPublicKey({ key: key as Record<string, string>, format: 'jwk' });
    keyObjects.set(key, known);
  }
  return known;
}

export interface JwsSigner {
  kid: string;
  sign(header: Record<string, unknown>, payload: Record<string, unknown>): string;
}

/** A compact JWS signer for `alg` and `kid`, given what computes the signature of a signing input. */
function compactSigner(alg: string, kid: string, signatureOf: (signingInput: string) => Buffer): JwsSigner {
  return {
    kid,
    sign: (header, payload) => {
      const encodedHeader = Buffer.from(JSON.stringify({ ...header, alg, kid })).toString('base64url');
      const signingInput = `${encodedHeader}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      return `${signingInput}.${signatureOf(signingInput).toString('base64url')}`;
    },
  };
}

export function createJwsSigner(kid: string, privateKey: CryptoKey): JwsSigner {
  const keyObject = asKeyObject(privateKey);
  return compactSigner(SIGNING_ALGORITHM, kid, (signingInput) => sign(null, Buffer.from(signingInput), keyObject));
}

/** HS256 with a secret key of at least 32 bytes (RFC 7518 §3.2 asks for at least the hash's size). */
export function createHmacJwsSigner(kid: string, key: KeyObject): JwsSigner {
  if (key.type !== 'secret' || (key.symmetricKeySize ?? 0) < 32) throw new TypeError('an HS256 key is a secret of at least 32 bytes');
  return compactSigner(MAC_ALGORITHM, kid, (signingInput) => createHmac('sha256', key).update(signingInput).digest());
}

export type JwsCheck = { ok: true; payload: Record<string, unknown> } | { ok: false };

// Unpadded base64url only (RFC 7515 §2): Node's decoder skips foreign characters, so without this one token
// would have many spellings, each verified (and cached) on its own. An Ed25519 signature is 64 bytes: 86 characters.
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const SIGNATURE = /^[A-Za-z0-9_-]{86}$/;
// An HMAC-SHA256 is 32 bytes: 43 characters.
const MAC = /^[A-Za-z0-9_-]{43}$/;

/** `typ` compared as RFC 9068 §4 asks: case-insensitively, with or without the `application/` prefix. */
function mediaType(typ: unknown): string | null {
  if (typeof typ !== 'string') return null;
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function decodeJson(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

interface DecodedJws {
  header: Record<string, unknown> & { kid: string };
  signingInput: string;
  encodedPayload: string;
  encodedSignature: string;
}

/** The parts of a compact JWS of media type `typ` with a `kid`, strictly spelled; null for anything else. */
function decodeJws(token: string, typ: string): DecodedJws | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
  if (!SEGMENT.test(encodedHeader) || !SEGMENT.test(encodedPayload) || !SEGMENT.test(encodedSignature)) return null;
  // The last character of a signature may carry unused bits, which the decoder ignores: only the one spelling counts.
  if (Buffer.from(encodedSignature, 'base64url').toString('base64url') !== encodedSignature) return null;
  const header = decodeJson(encodedHeader);
  // `crit` names extensions a verifier must understand; none are used here, so any is refused (RFC 7515 §4.1.11).
  // A `kid` is required: every key Meridian signs with has one.
  if (!isObject(header) || mediaType(header.typ) !== typ || typeof header.kid !== 'string' || 'crit' in header) return null;
  return { header: header as DecodedJws['header'], signingInput: `${encodedHeader}.${encodedPayload}`, encodedPayload, encodedSignature };
}

function payloadOf(jws: DecodedJws): JwsCheck {
  const payload = decodeJson(jws.encodedPayload);
  return isObject(payload) ? { ok: true, payload } : { ok: false };
}

async function verifyEdDsa(jws: DecodedJws, keys: JWTVerifyGetKey, typ: string): Promise<JwsCheck> {
  if (jws.header.alg !== SIGNING_ALGORITHM || !SIGNATURE.test(jws.encodedSignature)) return { ok: false };
  let key: ResolvedKey;
  try {
    key = await keys({ alg: SIGNING_ALGORITHM, kid: jws.header.kid, typ }, { payload: jws.encodedPayload, signature: jws.encodedSignature });
  } catch (error) {
    if (error instanceof errors.JOSEError) return { ok: false };
    throw error;
  }
  let valid: boolean;
  try {
    const keyObject = asKeyObject(key);
    // Only a public key: a shared secret or a private key in the set verifies nothing.
    valid = keyObject.type === 'public' && verify(null, Buffer.from(jws.signingInput), keyObject, Buffer.from(jws.encodedSignature, 'base64url'));
  } catch {
    // A key set entry Node cannot use for Ed25519 verifies nothing.
    return { ok: false };
  }
  return valid ? payloadOf(jws) : { ok: false };
}

function verifyHs256(jws: DecodedJws, macKeys: ReadonlyMap<string, KeyObject>): JwsCheck {
  if (jws.header.alg !== MAC_ALGORITHM || !MAC.test(jws.encodedSignature)) return { ok: false };
  const key = macKeys.get(jws.header.kid);
  if (!key || key.type !== 'secret') return { ok: false };
  const expected = createHmac('sha256', key).update(jws.signingInput).digest();
  return timingSafeEqual(expected, Buffer.from(jws.encodedSignature, 'base64url')) ? payloadOf(jws) : { ok: false };
}

/**
 * Verifies a compact JWS signed with EdDSA and of media type `typ`, with a key from `keys` (which may
 * throw KeySetUnavailable: that is for the caller to tell apart from a bad token).
 */
export async function verifyEdDsaJws(token: string, keys: JWTVerifyGetKey, typ: string): Promise<JwsCheck> {
  const jws = decodeJws(token, typ);
  return jws ? verifyEdDsa(jws, keys, typ) : { ok: false };
}

/**
 * Verifies a compact JWS of media type `typ` signed with EdDSA by a key from `keys`, or MACed with
 * HS256 by one of `macKeys` (by `kid`); without `keys`, MACed tokens only. Each algorithm takes its keys
 * from its own set only, so a public key can never be used as an HMAC secret.
 */
export async function verifyEdDsaOrHs256Jws(token: string, keys: JWTVerifyGetKey | null, macKeys: ReadonlyMap<string, KeyObject>, typ: string): Promise<JwsCheck> {
  const jws = decodeJws(token, typ);
  if (!jws) return { ok: false };
  if (jws.header.alg === MAC_ALGORITHM) return verifyHs256(jws, macKeys);
  return keys ? verifyEdDsa(jws, keys, typ) : { ok: false };
}

/** Standard time checks (RFC 7519 §4.1.4–4.1.6) with `toleranceSeconds` of clock skew; `maxAgeSeconds` bounds the age since `iat`. */
export function withinLifetime(payload: Record<string, unknown>, toleranceSeconds: number, maxAgeSeconds?: number, nowSeconds = Date.now() / 1000): boolean {
  const { exp, iat, nbf } = payload;
  if (typeof exp !== 'number' || exp + toleranceSeconds <= nowSeconds) return false;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf - toleranceSeconds > nowSeconds)) return false;
  if (iat !== undefined && typeof iat !== 'number') return false;
  if (maxAgeSeconds !== undefined) {
    if (typeof iat !== 'number' || iat - toleranceSeconds > nowSeconds || nowSeconds - iat > maxAgeSeconds + toleranceSeconds) return false;
  }
  return true;
}

/** `aud` as a string or an array that holds `audience` (RFC 7519 §4.1.3). */
export function hasAudience(payload: Record<string, unknown>, audience: string): boolean {
  const { aud } = payload;
  return aud === audience || (Array.isArray(aud) && aud.includes(audience));
}
