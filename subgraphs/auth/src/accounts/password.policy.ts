import { createCommonPasswordList, readCommonPasswordFile, type CommonPasswordList } from './common-passwords.js';

/** ASVS 5.0 6.2.1/6.2.9: at least 8 characters, at most 128 accepted, no composition rules, no truncation. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

// NFKC folds at most a few code points into one (a base letter and its combining marks), and a
// code point is at most two UTF-16 units: input this long cannot come back within the maximum, so
// it is rejected before normalization or hashing spend any work on it.
const RAW_LENGTH_CUT_OFF = PASSWORD_MAX_LENGTH * 8 * 2;

let commonPasswordList: CommonPasswordList | undefined;

/**
 * ASVS 5.0 6.2.4, the whole breached-password list: every entry the length rules let through.
 * Built on first use (about a third of a second) and kept for the life of the process.
 */
export function commonPasswords(): CommonPasswordList {
  commonPasswordList ??= createCommonPasswordList(readCommonPasswordFile(), { minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH });
  return commonPasswordList;
}

/** Whether the password, ignoring case and compatibility forms, is on the breached-password list. */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password);
}

const EMAIL_LOCAL_PART_MIN_LENGTH = 4;
const EMAIL_MAX_EDIT_DISTANCE = 2;
const NON_LETTERS = /\P{L}/gu;

export type PasswordWeakness = 'TOO_SHORT' | 'TOO_LONG' | 'TOO_COMMON' | 'TOO_SIMILAR_TO_EMAIL';
export type PasswordLengthCheck = { ok: true; password: string } | { ok: false; reason: Extract<PasswordWeakness, 'TOO_SHORT' | 'TOO_LONG'> };
export type PasswordCheck = { ok: true; password: string } | { ok: false; reason: PasswordWeakness };

/**
 * Normalizes a password to NFKC (so the same password typed on different keyboards matches) and
 * checks its length in code points. Spaces and any Unicode characters are allowed; nothing is trimmed.
 */
export function normalizePassword(raw: string): PasswordLengthCheck {
  if (raw.length > RAW_LENGTH_CUT_OFF) return { ok: false, reason: 'TOO_LONG' };
  const password = raw.normalize('NFKC');
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return { ok: false, reason: 'TOO_SHORT' };
  if (length > PASSWORD_MAX_LENGTH) return { ok: false, reason: 'TOO_LONG' };
  return { ok: true, password };
}

/**
 * The policy for choosing a password: the length rules of `normalizePassword`, then ASVS 6.2.4
 * (not on the breached-password list) and 6.2.11 (not built from the account's e-mail address).
 * Sign-in calls only `normalizePassword`: these rules govern which passwords may be set, so a
 * stored password the list or the rules would refuse today still signs in.
 */
export function checkPassword(raw: string, context: { email?: string | null } = {}): PasswordCheck {
  const checked = normalizePassword(raw);
  if (!checked.ok) return checked;
  if (isCommonPassword(checked.password)) return { ok: false, reason: 'TOO_COMMON' };
  if (context.email && isTooSimilarToEmail(checked.password, context.email)) return { ok: false, reason: 'TOO_SIMILAR_TO_EMAIL' };
  return checked;
}

// Ignoring case, a password is too close to the e-mail address when it contains the whole address,
// contains a local part of at least 4 characters, has exactly the local part's letters (the local
// part with only digits or punctuation added, removed or moved: "j.smith" -> "jsmith2024!"), or is
// at most 2 single-character edits from the local part or the address ("jonhsmith", "j0hnsmith").
// Merely sharing a shorter run of characters with the address is allowed.
function isTooSimilarToEmail(password: string, email: string): boolean {
  const candidate = password.toLowerCase();
  const address = email.normalize('NFKC').toLowerCase();
  const localPart = address.slice(0, Math.max(address.lastIndexOf('@'), 0));
  if (candidate.includes(address)) return true;
  if ([...localPart].length >= EMAIL_LOCAL_PART_MIN_LENGTH && candidate.includes(localPart)) return true;
  const localLetters = localPart.replace(NON_LETTERS, '');
  if (localLetters !== '' && candidate.replace(NON_LETTERS, '') === localLetters) return true;
  const codePoints = [...candidate];
  return (
    isWithinEditDistance(codePoints, [...localPart], EMAIL_MAX_EDIT_DISTANCE) ||
    isWithinEditDistance(codePoints, [...address], EMAIL_MAX_EDIT_DISTANCE)
  );
}

/** Levenshtein distance at most `max`, stopping as soon as every alignment needs more edits. */
function isWithinEditDistance(a: readonly string[], b: readonly string[], max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? Infinity) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, (previous[j] ?? Infinity) + 1, (current[j - 1] ?? Infinity) + 1));
    }
    if (Math.min(...current) > max) return false;
    previous = current;
  }
  return (previous[b.length] ?? Infinity) <= max;
}
