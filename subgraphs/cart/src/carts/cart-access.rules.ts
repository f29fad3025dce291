import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Who may use a cart. A guest cart opens with the secret token it was created with: 256 random bits,
 * shown once, kept only as its SHA-256 (a leaked table opens no cart) and compared in constant time. A
 * user's cart opens for that user alone, token or not. Everything else (a closed cart, a wrong token,
 * another user's cart) is refused exactly as a cart that does not exist.
 */

export interface CartAccessFacts {
  userId: string | null;
  tokenHash: string | null;
  status: 'open' | 'merged' | 'ordered';
}

/** A new guest cart token: 32 random bytes, base64url (43 characters). */
export function newCartToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored of a token: its SHA-256, base64url. */
export function hashCartToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

// Compared against when there is no stored hash, so that a refusal costs the same work either way.
const NO_HASH = createHash('sha256').update('no cart token').digest();

function tokenMatches(token: string | null | undefined, storedHash: string | null): boolean {
  const presented = createHash('sha256').update(token ?? '', 'utf8').digest();
  const stored = storedHash === null ? NO_HASH : Buffer.from(storedHash, 'base64url');
  const equal = stored.length === presented.length && timingSafeEqual(stored, presented);
  return equal && storedHash !== null && token != null && token !== '';
}

/** Whether `userId` (the signed-in user, or null) with `token` (or none) may use the cart. */
export function canUseCart(cart: CartAccessFacts | null, userId: string | null, token: string | null | undefined): boolean {
  const matches = tokenMatches(token, cart?.tokenHash ?? null);
  if (cart === null || cart.status !== 'open') return false;
  if (cart.userId !== null) return userId !== null && cart.userId === userId;
  return matches;
}
