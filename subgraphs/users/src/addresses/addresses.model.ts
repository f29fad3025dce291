import type { AddressRow } from '@meridian/db/users';

/** An address book entry, as stored. */
export type Address = AddressRow & { __typename?: 'Address' };

export type AddressKind = 'SHIPPING' | 'BILLING';
