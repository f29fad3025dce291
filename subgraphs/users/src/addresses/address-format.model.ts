import type { AddressFieldName, Region } from '@meridian/addresses';

/** A country addresses may be in (GraphQL `Country`). */
export interface Country {
  code: string;
  name: string;
}

/** One field of an address form (GraphQL `AddressFormatField`). */
export interface AddressFormatField {
  name: AddressFieldName;
  label: string;
  required: boolean;
  maxLength: number | null;
}

/** What an address form for one country needs (GraphQL `AddressFormat`). */
export interface AddressFormat {
  countryCode: string;
  fields: AddressFormatField[];
  postalCodePattern: string | null;
  postalCodeExample: string | null;
  regions: Region[];
  regionRequired: boolean;
}
