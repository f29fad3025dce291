import { DISPLAY_NAME_MAX_LENGTH, readLocale, readText, type FieldViolation, type Validated } from '@meridian/platform';
import { readPhone } from '@meridian/addresses';

export interface ProfilePatch {
  displayName?: string | null;
  phone?: string | null;
  preferredLocale?: string | null;
  preferredCurrency?: string | null;
}

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
  // The GraphQL enum CurrencyCode admits only currencies in use, so there is nothing left to check.
  if (input.preferredCurrency !== undefined) value.preferredCurrency = input.preferredCurrency;
  return violations.length > 0 ? { ok: false, violations } : { ok: true, value };
}
