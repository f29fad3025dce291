/** ASVS 5.0 6.2.1/6.2.9: at least 8 characters, at most 128 accepted, no composition rules, no truncation. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

// NFKC folds at most a few code points into one (a base letter and its combining marks), and a
// code point is at most two UTF-16 units: input this long cannot come back within the maximum, so
// it is rejected before normalization or hashing spend any work on it.
const RAW_LENGTH_CUT_OFF = PASSWORD_MAX_LENGTH * 8 * 2;

export type PasswordCheck = { ok: true; password: string } | { ok: false; reason: 'TOO_SHORT' | 'TOO_LONG' };

/**
 * Normalizes a password to NFKC (so the same password typed on different keyboards matches) and
 * checks its length in code points. Spaces and any Unicode characters are allowed; nothing is trimmed.
 */
export function checkPassword(raw: string): PasswordCheck {
  if (raw.length > RAW_LENGTH_CUT_OFF) return { ok: false, reason: 'TOO_LONG' };
  const password = raw.normalize('NFKC');
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return { ok: false, reason: 'TOO_SHORT' };
  if (length > PASSWORD_MAX_LENGTH) return { ok: false, reason: 'TOO_LONG' };
  return { ok: true, password };
}
