/** Field-level validation shared by every service: the shape of `FieldError` in common.graphql. */
export type FieldErrorCode =
  | 'REQUIRED'
  | 'TOO_LONG'
  | 'INVALID_FORMAT'
  | 'UNSUPPORTED_COUNTRY'
  | 'INVALID_POSTAL_CODE'
  | 'INVALID_REGION'
  | 'INVALID_PHONE'
  | 'INVALID_LOCALE'
  | 'INVALID_CURRENCY';

export interface FieldViolation {
  /** The GraphQL input field's name, e.g. `postalCode`. */
  field: string;
  code: FieldErrorCode;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; violations: FieldViolation[] };

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

export function hasControlCharacters(value: string): boolean {
  return CONTROL_CHARACTERS.test(value);
}

/** Trimmed, NFC-normalized, inner whitespace collapsed to one space; null when nothing is left. */
export function normalizeText(raw: string): string | null {
  const text = raw.normalize('NFC').replace(/[\s\u00a0]+/gu, ' ').trim();
  return text === '' ? null : text;
}

export const DISPLAY_NAME_MAX_LENGTH = 100;

/** A display name: 1 to 100 characters of normalized text, no control characters. */
export function checkDisplayName(field: string, raw: string): { ok: true; value: string } | { ok: false; violation: FieldViolation } {
  if (hasControlCharacters(raw)) return { ok: false, violation: { field, code: 'INVALID_FORMAT', message: 'Must not contain control characters' } };
  if (raw.length > DISPLAY_NAME_MAX_LENGTH * 4) return { ok: false, violation: tooLong(field) };
  const value = normalizeText(raw);
  if (value === null) return { ok: false, violation: { field, code: 'REQUIRED', message: 'Must not be blank' } };
  if ([...value].length > DISPLAY_NAME_MAX_LENGTH) return { ok: false, violation: tooLong(field) };
  return { ok: true, value };
}

function tooLong(field: string): FieldViolation {
  return { field, code: 'TOO_LONG', message: `Must be at most ${DISPLAY_NAME_MAX_LENGTH} characters` };
}

/** The canonical form of a BCP 47 language tag (`en-us` → `en-US`), or null when it is not one. */
export function canonicalLocale(raw: string): string | null {
  const tag = raw.trim();
  if (tag === '' || tag.length > 64) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}
