import { randomInt } from 'node:crypto';
import { keyedHash } from '../tokens/opaque-token.js';

export const RECOVERY_CODE_COUNT = 10;
// Crockford-style alphabet without look-alikes (0/o, 1/l/i): ten characters ≈ 50 bits per code.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUP = 5;

function newRecoveryCode(): string {
  const chars = Array.from({ length: GROUP * 2 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return `${chars.slice(0, GROUP).join('')}-${chars.slice(GROUP).join('')}`;
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
}

/** Case, spaces and the dash do not matter when a code is typed back. */
export function normalizeRecoveryCode(code: string): string | null {
  const compact = code.toLowerCase().replace(/[\s-]+/g, '');
  return compact.length === GROUP * 2 && [...compact].every((char) => ALPHABET.includes(char)) ? compact : null;
}

/** Stored keyed (HMAC under a key derived from AUTH_SECRET): a stolen table cannot be checked against guesses. */
export function recoveryCodeHash(key: Buffer, code: string): string | null {
  const normalized = normalizeRecoveryCode(code);
  return normalized === null ? null : keyedHash(key, normalized);
}
