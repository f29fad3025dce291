import { describe, expect, it } from 'vitest';
import { canUseCart, hashCartToken, newCartToken } from './cart-access.rules.js';

const token = newCartToken();
const guest = { userId: null, tokenHash: hashCartToken(token), status: 'open' as const };
const owned = { userId: 'user-1', tokenHash: null, status: 'open' as const };

describe('cart tokens', () => {
  it('are 256 random bits in base64url, different every time, kept only as their SHA-256', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newCartToken()).not.toBe(token);
    expect(hashCartToken(token)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashCartToken(token)).not.toContain(token);
  });
});

describe('who may use a cart', () => {
  it('opens a guest cart with its token only, signed in or not', () => {
    expect(canUseCart(guest, null, token)).toBe(true);
    expect(canUseCart(guest, 'user-1', token)).toBe(true);
    expect(canUseCart(guest, null, null)).toBe(false);
    expect(canUseCart(guest, null, '')).toBe(false);
    expect(canUseCart(guest, 'user-1', undefined)).toBe(false);
    expect(canUseCart(guest, null, newCartToken())).toBe(false);
    expect(canUseCart(guest, null, `${token}x`)).toBe(false);
  });

  it("opens a user's cart for that user alone, whatever token is sent", () => {
    expect(canUseCart(owned, 'user-1', null)).toBe(true);
    expect(canUseCart(owned, 'user-1', token)).toBe(true);
    expect(canUseCart(owned, 'user-2', null)).toBe(false);
    expect(canUseCart(owned, null, token)).toBe(false);
  });

  it('refuses a closed cart and a cart that does not exist alike', () => {
    expect(canUseCart({ ...guest, status: 'merged' }, null, token)).toBe(false);
    expect(canUseCart({ ...owned, status: 'merged' }, 'user-1', null)).toBe(false);
    expect(canUseCart(null, 'user-1', token)).toBe(false);
  });
});
