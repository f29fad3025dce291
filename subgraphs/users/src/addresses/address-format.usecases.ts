import { Kind, type DocumentNode } from 'graphql';
import { addressMetadata } from '@meridian/addresses';
import type { AddressFormat, Country } from './address-format.model.js';

export type AddressFormatUseCases = ReturnType<typeof createAddressFormatUseCases>;

/** The values of the SDL's `CountryCode` enum: exactly the countries an address may be in. */
export function countryCodesOf(typeDefs: DocumentNode): string[] {
  const countryCode = typeDefs.definitions.find((definition) => definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'CountryCode');
  if (countryCode?.kind !== Kind.ENUM_TYPE_DEFINITION) throw new Error('the users SDL has no CountryCode enum');
  return (countryCode.values ?? []).map((value) => value.name.value);
}

/**
 * Address forms from the rules `validateAddress` applies (@meridian/addresses), and the countries
 * addresses accept. Names and labels are English: the request's language is not resolved yet.
 */
export function createAddressFormatUseCases(deps: { countryCodes: readonly string[] }) {
  // CLDR's names, through ICU: the names a later locale resolution will give in other languages too.
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
  const collator = new Intl.Collator('en');
  const countries: Country[] = deps.countryCodes
    .map((code) => ({ code, name: names.of(code) ?? code }))
    .sort((a, b) => collator.compare(a.name, b.name));
  const accepted = new Set(deps.countryCodes);

  return {
    countries: (): Country[] => countries,

    format(countryCode: string): AddressFormat | null {
      if (!accepted.has(countryCode)) return null;
      const metadata = addressMetadata(countryCode);
      const usesPostalCode = metadata.shown.includes('postalCode');
      return {
        countryCode,
        fields: metadata.shown.map((name) => ({ name, ...metadata.rules[name] })),
        postalCodePattern: usesPostalCode ? metadata.postalCodePattern.source : null,
        postalCodeExample: usesPostalCode ? metadata.postalCodeExample : null,
        regions: metadata.regions?.list ?? [],
        regionRequired: metadata.rules.region.required,
      };
    },
  };
}
