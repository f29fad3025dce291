import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMON_PASSWORD_FILE, isCommonPassword, readLeadingLines } from './common-passwords.js';

const dir = mkdtempSync(join(tmpdir(), 'common-passwords-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileWith(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('readLeadingLines', () => {
  it('returns the first lines across chunk boundaries, multi-byte characters intact', () => {
    const file = fileWith('split.txt', 'één\n密码密码\n🔑🔑\nlast\n');
    for (const chunkBytes of [1, 2, 3, 5, 64]) {
      expect(readLeadingLines(file, 3, chunkBytes), `chunk ${chunkBytes}`).toEqual(['één', '密码密码', '🔑🔑']);
      expect(readLeadingLines(file, 4, chunkBytes), `chunk ${chunkBytes}`).toEqual(['één', '密码密码', '🔑🔑', 'last']);
    }
  });

  it('accepts a last line without a newline and strips carriage returns', () => {
    expect(readLeadingLines(fileWith('crlf.txt', 'one\r\ntwo\r\nthree'), 3, 4)).toEqual(['one', 'two', 'three']);
  });

  it('throws when the file has fewer lines than asked for', () => {
    expect(() => readLeadingLines(fileWith('short.txt', 'one\ntwo\n'), 3)).toThrow(/has 2 lines, expected at least 3/);
    expect(() => readLeadingLines(fileWith('empty.txt', ''), 1)).toThrow(/has 0 lines/);
  });

  it('reads the 10,000 lines from the 8 MB list in a few milliseconds', () => {
    const started = performance.now();
    expect(readLeadingLines(COMMON_PASSWORD_FILE, 10_000)).toHaveLength(10_000);
    expect(performance.now() - started).toBeLessThan(500);
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
