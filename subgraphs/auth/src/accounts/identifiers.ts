import { keyedHash } from '../tokens/opaque-token.js';
import { normalizeEmail } from './email.rules.js';

/**
 * The key an e-mail is counted under (rate limits, lockout, audit): its normalized form, so case and
 * Unicode variants share one counter, pseudonymized so the counters do not hold addresses. Input
 * that is no e-mail address still gets a stable key, whether or not an account exists.
 */
export function identifierOf(key: Buffer, rawEmail: string): string {
  const normalized = normalizeEmail(rawEmail) ?? rawEmail.slice(0, 320).trim().normalize('NFKC').toLowerCase();
  return keyedHash(key, normalized).slice(0, 32);
}
