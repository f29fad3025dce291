import { describe, expect, it } from 'vitest';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, checkPassword } from './password.policy.js';

describe('checkPassword', () => {
  it('accepts 8 to 128 characters without composition rules', () => {
    expect(checkPassword('aaaaaaaa')).toEqual({ ok: true, password: 'aaaaaaaa' });
    expect(checkPassword('a'.repeat(PASSWORD_MAX_LENGTH)).ok).toBe(true);
    expect(checkPassword('correct horse battery staple')).toEqual({ ok: true, password: 'correct horse battery staple' });
  });

  it('rejects passwords that are too short or too long', () => {
    expect(checkPassword('a'.repeat(PASSWORD_MIN_LENGTH - 1))).toEqual({ ok: false, reason: 'TOO_SHORT' });
    expect(checkPassword('')).toEqual({ ok: false, reason: 'TOO_SHORT' });
    expect(checkPassword('a'.repeat(PASSWORD_MAX_LENGTH + 1))).toEqual({ ok: false, reason: 'TOO_LONG' });
  });

  it('counts code points, not UTF-16 units, so emoji and CJK count once each', () => {
    expect(checkPassword('🔑'.repeat(8))).toEqual({ ok: true, password: '🔑'.repeat(8) });
    expect(checkPassword('🔑'.repeat(7))).toEqual({ ok: false, reason: 'TOO_SHORT' });
    expect(checkPassword('密'.repeat(PASSWORD_MAX_LENGTH)).ok).toBe(true);
  });

  it('normalizes to NFKC so visually identical input matches', () => {
    const composed = checkPassword('caf\u00e9-p\u00e4ss');
    const decomposed = checkPassword('cafe\u0301-pa\u0308ss');
    expect(composed).toEqual(decomposed);
    expect(checkPassword('ｐａｓｓｗｏｒｄ１')).toEqual({ ok: true, password: 'password1' });
  });

  it('keeps leading and trailing spaces (no silent trimming or truncation)', () => {
    expect(checkPassword('  spaced out  ')).toEqual({ ok: true, password: '  spaced out  ' });
  });

  it('rejects a 1 MB password without normalizing it', () => {
    const huge = { length: 1024 * 1024, normalize: () => expect.unreachable('normalized a 1 MB password') } as unknown as string;
    expect(checkPassword(huge)).toEqual({ ok: false, reason: 'TOO_LONG' });
  });
});
