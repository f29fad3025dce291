import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openPayload, sealPayload } from './outbox.crypto.js';

describe('outbox payload sealing', () => {
  const key = randomBytes(32);

  it('round-trips and never shows the plaintext', () => {
    const sealed = sealPayload(key, { link: 'https://shop.example/verify?token=secret-token' });
    expect(sealed).not.toContain('secret-token');
    expect(Buffer.from(sealed, 'base64').toString('latin1')).not.toContain('secret-token');
    expect(openPayload(key, sealed)).toEqual({ link: 'https://shop.example/verify?token=secret-token' });
  });

  it('refuses a tampered payload or another key', () => {
    const sealed = Buffer.from(sealPayload(key, { a: 1 }), 'base64');
    sealed[sealed.length - 1]! ^= 1;
    expect(() => openPayload(key, sealed.toString('base64'))).toThrow();
    expect(() => openPayload(randomBytes(32), sealPayload(key, { a: 1 }))).toThrow();
  });
});
