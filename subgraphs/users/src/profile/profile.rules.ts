import { code as iso4217Entry } from 'currency-codes';
import { DISPLAY_NAME_MAX_LENGTH, readLocale, readText, type FieldViolation, type Validated } from '@meridian/platform';
import { readPhone } from '../addresses/address.rules.js';

export interface ProfilePatch {
  displayName?: string | null;
  phone?: string | null;
  preferredLocale?: string | null;
  preferredCurrency?: string | null;
}

// ICU leaves out precious metals, fund and test codes; ISO 4217 List One leaves out the
// currencies ICU still carries after their withdrawal (HRK, replaced by EUR in 2023).
const ACTIVE_CURRENCIES = new Set(Intl.supportedValuesOf('currency').filter((code) => iso4217Entry(code)));

/** Validates a profile patch: absent keys stay absent, an explicit null clears the field. */
export function validateProfilePatch(input: ProfilePatch): Validated<ProfilePatch> {
  const violations: FieldViolation[] = [];
  const value: ProfilePatch = {};
  if (input.displayName !== undefined) {
    value.displayName = readText(violations, 'displayName', input.displayName, { maxLength: DISPLAY_NAME_MAX_LENGTH });
  }
  if (input.phone !== undefined) {
    // A profile has no country to read a national number in.
    value.phone = readPhone(violations, 'phone', input.phone, null);
  }
  if (input.preferredLocale !== undefined) {
    value.preferredLocale = readLocale(violations, 'preferredLocale', input.preferredLocale);
  }
  if (input.preferredCurrency !== undefined) {
    value.preferredCurrency = readCurrency(violations, input.preferredCurrency);
  }
  return violations.length > 0 ? { ok: false, violations } : { ok: true, value };
}

function readCurrency(violations: FieldViolation[], raw: string | null): string | null {
  const text = readText(violations, 'preferredCurrency', raw, {});
  if (text === null) return null;
  const code = text.toUpperCase();
  if (!ACTIVE_CURRENCIES.has(code)) {
    violations.push({
      field: 'preferredCurrency',
      code: 'INVALID_CURRENCY',
      message: 'preferredCurrency must be an active ISO 4217 currency code, e.g. "EUR".',
    });
    return null;
  }
  return code;
}
