import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORD_FILE, createCommonPasswordList } from './common-passwords.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, commonPasswords, isCommonPassword } from './password.policy.js';

describe('createCommonPasswordList', () => {
  it('keeps only entries within the length bounds, compared folded, carriage returns stripped', () => {
    const list = createCommonPasswordList(['short', 'LongEnough1\r', 'ｗｉｄｅｐａｓｓ', 'x'.repeat(12)], { minLength: 8, maxLength: 11 });
    expect(list.entries).toBe(2);
    expect(['longenough1', 'LONGENOUGH1', 'widepass', 'short', 'x'.repeat(12)].map((password) => list.has(password))).toEqual([true, true, true, false, false]);
  });

  it('counts code points, not UTF-16 units', () => {
    const list = createCommonPasswordList(['🔑🔑🔑🔑🔑🔑🔑🔑'], { minLength: 8, maxLength: 8 });
    expect(list.has('🔑🔑🔑🔑🔑🔑🔑🔑')).toBe(true);
  });
});

describe('isCommonPassword', () => {
  it('ignores case and compatibility forms', () => {
    expect(isCommonPassword('password')).toBe(true);
    expect(isCommonPassword('PaSsWoRd')).toBe(true);
    expect(isCommonPassword('ｐａｓｓｗｏｒｄ')).toBe(true);
    expect(isCommonPassword('plum-tractor-otter-87')).toBe(false);
  });
});

describe('the breached-password list', () => {
  // Every entry of the package's list that the length rule lets through must be refused, not only
  // those among its first 10,000 lines (of which just 3,337 are 8 characters or longer).
  const longEnough = readFileSync(COMMON_PASSWORD_FILE, 'utf8')
    .split('\n')
    .map((line) => line.replace(/\r$/, '').normalize('NFKC').toLowerCase())
    .filter((line) => [...line].length >= PASSWORD_MIN_LENGTH && [...line].length <= PASSWORD_MAX_LENGTH);

  it('refuses password1234 (line 31,873 of the list)', () => {
    expect(isCommonPassword('password1234')).toBe(true);
  });

  it('holds every 8–128 character line of the list', () => {
    expect(commonPasswords().entries).toBe(longEnough.length);
  });

  it('refuses almost nothing that is not on the list (false positives at the configured rate)', () => {
    const strangers = Array.from({ length: 100_000 }, (_, index) => `not-on-any-list-${index}-${index * 7919}`);
    expect(strangers.filter((password) => isCommonPassword(password)).length).toBeLessThanOrEqual(2);
  });

  it('refuses every 8–128 character entry of the whole list, sampled every 97th', () => {
    const missed = longEnough.filter((_, index) => index % 97 === 0).filter((password) => !isCommonPassword(password));
    expect({ sampled: Math.ceil(longEnough.length / 97), missed: missed.length, firstMissed: missed.slice(0, 5) }).toEqual({
      sampled: Math.ceil(longEnough.length / 97),
      missed: 0,
      firstMissed: [],
    });
  });
});
