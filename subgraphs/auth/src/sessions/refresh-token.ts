import { createHash, randomBytes } from 'node:crypto';

const REFRESH_TOKEN_BYTES = 32; // 256 bits
const REFRESH_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function newRefreshToken(): string {
  return randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
}

export function isRefreshTokenShaped(token: string): boolean {
  return REFRESH_TOKEN_SHAPE.test(token);
}

/** Refresh tokens carry 256 random bits, so a plain SHA-256 is enough to make a stolen table useless. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
