import { createHash, createHmac, randomBytes } from 'node:crypto';

const TOKEN_BYTES = 32; // 256 bits
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A random bearer secret (refresh tokens, e-mail links): 256 bits, base64url. */
export function newOpaqueToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Checked before any lookup, so malformed input never reaches the database. */
export function isOpaqueTokenShaped(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}

/** Refresh tokens carry 256 random bits, so a plain SHA-256 is enough to make a stolen table useless. */
export function sha256(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** HMAC-SHA256 under a service key: a stolen table cannot even be checked against guesses. */
export function keyedHash(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}
