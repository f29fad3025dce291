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
