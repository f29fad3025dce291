/** Field-level validation shared by every service: the shape of `FieldError` in common.graphql. */
export type FieldErrorCode =
  | 'REQUIRED'
  | 'TOO_LONG'
  | 'INVALID_FORMAT'
  | 'INVALID_POSTAL_CODE'
  | 'INVALID_REGION'
  | 'INVALID_PHONE'
  | 'INVALID_LOCALE'
  | 'UNKNOWN_LINK_BASE'
  | 'OUT_OF_RANGE'
  | 'ALREADY_TAKEN'
  | 'UNAVAILABLE';

/** One rejected input field; `field` is the GraphQL input field name, e.g. "postalCode". */
export interface FieldViolation {
  field: string;
  code: FieldErrorCode;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; violations: FieldViolation[] };

const CONTROL_CHARACTER = /\p{Cc}/u;

export const DISPLAY_NAME_MAX_LENGTH = 100;

export interface TextRule {
  /** In code points; fields checked against a list of codes need none. */
  maxLength?: number;
  required?: boolean;
  requiredMessage?: string;
}

/**
 * Reads a free-text field: NFC, trimmed, inner whitespace collapsed, blank as null.
 * Reports at most one violation for the field and returns null when it does.
 */
export function readText(violations: FieldViolation[], field: string, raw: string | null | undefined, rule: TextRule): string | null {
  const trimmed = (raw ?? '').normalize('NFC').trim();
  if (CONTROL_CHARACTER.test(trimmed)) {
    violations.push({ field, code: 'INVALID_FORMAT', message: `${field} must not contain control characters.` });
    return null;
  }
  const text = trimmed.replace(/\s+/gu, ' ');
  if (text === '') {
    if (rule.required) violations.push({ field, code: 'REQUIRED', message: rule.requiredMessage ?? `${field} is required.` });
    return null;
  }
  if (rule.maxLength !== undefined && Array.from(text).length > rule.maxLength) {
    violations.push({ field, code: 'TOO_LONG', message: `${field} must be at most ${rule.maxLength} characters.` });
    return null;
  }
  return text;
}

// A well-formed tag can still name no language ("english" is well-formed), so the language
// must be one ICU can name.
const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

// RFC 5646 section 4.4.1 recommends room for at least 35 characters; preferences need no more.
const MAX_LOCALE_LENGTH = 35;

/** Reads a BCP 47 language tag into its canonical form (`en-us` → `en-US`); blank as null. */
export function readLocale(violations: FieldViolation[], field: string, raw: string | null | undefined): string | null {
  const tag = readText(violations, field, raw, { maxLength: MAX_LOCALE_LENGTH });
  if (tag === null) return null;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    if (canonical && LANGUAGE_NAMES.of(new Intl.Locale(canonical).language)) return canonical;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  violations.push({ field, code: 'INVALID_LOCALE', message: `${field} must be a BCP 47 language tag of a known language, e.g. "en-GB".` });
  return null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids from clients are checked before they reach SQL, where a malformed UUID would be an error rather than "not found". */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
