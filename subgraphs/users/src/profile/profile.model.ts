import { isCurrencyCode } from '@meridian/money';

/** A `User` as the users service sees it: only the key; everything else is loaded per field. */
export interface UserReference {
  __typename?: 'User';
  id: string;
}

export interface Profile {
  __typename?: 'Profile';
  displayName: string | null;
  phone: string | null;
  preferredLocale: string | null;
  preferredCurrency: string | null;
}

export const EMPTY_PROFILE: Profile = { displayName: null, phone: null, preferredLocale: null, preferredCurrency: null };

/**
 * The profile as the schema can express it. Profiles saved before `CurrencyCode` became an enum may
 * hold a code it leaves out (XDR, XSU, XUA: ISO gives them no minor units); those read as no preference.
 */
export function toProfile(row: Profile | null | undefined): Profile {
  if (!row) return EMPTY_PROFILE;
  const { displayName, phone, preferredLocale, preferredCurrency } = row;
  return { displayName, phone, preferredLocale, preferredCurrency: preferredCurrency && isCurrencyCode(preferredCurrency) ? preferredCurrency : null };
}
