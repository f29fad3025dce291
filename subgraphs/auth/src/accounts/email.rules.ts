const MAX_EMAIL_LENGTH = 254; // RFC 5321 path limit
const MAX_LOCAL_PART_LENGTH = 64;
// Pragmatic shape check: one @, no whitespace or characters that need quoting, a dotted domain.
// Deliverability is proven by verification, not by a regular expression.
const EMAIL_SHAPE = /^[^\s@"(),:;<>[\\\]]+@[^\s@"(),:;<>[\\\]_]+\.[^\s@"(),:;<>[\\\]_.]{2,}$/u;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/u;

/**
 * The one form an e-mail address is stored and compared in: trimmed, NFKC-normalized, lower-case.
 * Case and compatibility variants of one address therefore map to one account. Null when the
 * value cannot be an e-mail address.
 */
export function normalizeEmail(raw: string): string | null {
  if (raw.length > MAX_EMAIL_LENGTH * 4) return null;
  const email = raw.trim().normalize('NFKC').toLowerCase();
  if (email.length > MAX_EMAIL_LENGTH || CONTROL_CHARACTERS.test(email) || !EMAIL_SHAPE.test(email)) return null;
  const localPart = email.slice(0, email.lastIndexOf('@'));
  if (localPart.length > MAX_LOCAL_PART_LENGTH || localPart.startsWith('.') || localPart.endsWith('.') || email.includes('..')) {
    return null;
  }
  return email;
}
