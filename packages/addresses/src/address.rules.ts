import parsePhoneNumber, { isSupportedCountry } from 'libphonenumber-js/max';
import { readText, type FieldViolation, type Validated } from '@meridian/platform';
import { PHONE_MAX_LENGTH, addressMetadata, nameKey, type AddressFieldName, type CountryAddressMetadata } from './address.metadata.js';

export type { FieldViolation, Validated };

export interface AddressInput {
  fullName?: string | null;
  company?: string | null;
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  region?: string | null;
  postalCode?: string | null;
  countryCode?: string | null;
  phone?: string | null;
}

export interface AddressFields {
  fullName: string;
  company: string | null;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string | null;
  countryCode: string;
  phone: string | null;
}

/** Field rules outside any country: before the country is known, or when it is missing. */
const NO_COUNTRY = addressMetadata('ZZ');

export function validateAddress(input: AddressInput): Validated<AddressFields> {
  const violations: FieldViolation[] = [];
  const countryCode = readCountryCode(violations, input.countryCode);
  const metadata = countryCode ? addressMetadata(countryCode) : NO_COUNTRY;
  const text = (field: AddressFieldName, raw: string | null | undefined) => {
    const { required, maxLength } = metadata.rules[field];
    return readText(violations, field, raw, { maxLength, required });
  };
  const fullName = text('fullName', input.fullName);
  const company = text('company', input.company);
  const line1 = text('line1', input.line1);
  const line2 = text('line2', input.line2);
  const city = text('city', input.city);
  const region = readRegion(violations, input.region, countryCode, metadata);
  const postalCode = readPostalCode(violations, input.postalCode, countryCode, metadata);
  const phone = readPhone(violations, 'phone', input.phone, countryCode);

  if (violations.length > 0 || !fullName || !line1 || !city || !countryCode) return { ok: false, violations: inFieldOrder(violations) };
  return { ok: true, value: { fullName, company, line1, line2, city, region, postalCode, countryCode, phone } };
}

const FIELD_ORDER = ['fullName', 'company', 'line1', 'line2', 'city', 'countryCode', 'region', 'postalCode', 'phone'];

/** Violations in AddressInput's order (the country is read first, since every other rule depends on it). */
function inFieldOrder(violations: FieldViolation[]): FieldViolation[] {
  return violations.sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));
}

/**
 * Reads a phone number into E.164. National numbers are read in `country`; without one the
 * number must be in international format.
 */
export function readPhone(
  violations: FieldViolation[],
  field: string,
  raw: string | null | undefined,
  country: string | null,
): string | null {
  if (raw && raw.length > PHONE_MAX_LENGTH) {
    violations.push({ field, code: 'TOO_LONG', message: `${field} must be at most ${PHONE_MAX_LENGTH} characters.` });
    return null;
  }
  const text = readText(violations, field, raw, {});
  if (text === null) return null;

  const defaultCountry = country && isSupportedCountry(country) ? country : undefined;
  const phone = parsePhoneNumber(text, { defaultCountry });
  // E.164 has no room for an extension; refusing it beats silently dropping it.
  if (!phone?.isValid() || phone.ext) {
    const message = defaultCountry
      ? `${field} must be a valid phone number for ${defaultCountry} or in international format (+…), without an extension.`
      : `${field} must be a valid phone number in international format, starting with +, without an extension.`;
    violations.push({ field, code: 'INVALID_PHONE', message });
    return null;
  }
  return phone.number;
}

/** The GraphQL enum CountryCode admits only ISO 3166-1 alpha-2 codes; what remains is that one is given. */
function readCountryCode(violations: FieldViolation[], raw: string | null | undefined): string | null {
  return readText(violations, 'countryCode', raw, { required: true })?.toUpperCase() ?? null;
}

function readRegion(violations: FieldViolation[], raw: string | null | undefined, country: string | null, metadata: CountryAddressMetadata): string | null {
  const region = readText(violations, 'region', raw, {
    maxLength: metadata.rules.region.maxLength,
    required: metadata.rules.region.required,
    requiredMessage: `region is required for addresses in ${country}.`,
  });
  const subdivisions = metadata.regions;
  if (region === null || !subdivisions) return region;

  const code = region.toUpperCase();
  const prefix = `${country}-`;
  const match =
    subdivisions.byCode.get(code.startsWith(prefix) ? code.slice(prefix.length) : code) ??
    subdivisions.byName.get(nameKey(region));
  if (!match) {
    violations.push({
      field: 'region',
      code: 'INVALID_REGION',
      message: `region must be an ISO 3166-2 subdivision of ${country}, given by code (e.g. "${subdivisions.example}") or name.`,
    });
    return null;
  }
  return match;
}

function readPostalCode(violations: FieldViolation[], raw: string | null | undefined, country: string | null, metadata: CountryAddressMetadata): string | null {
  const postalCode = readText(violations, 'postalCode', raw, {
    maxLength: metadata.rules.postalCode.maxLength,
    required: metadata.rules.postalCode.required,
    requiredMessage: `postalCode is required for addresses in ${country}.`,
  });
  if (postalCode === null) return null;

  const canonical = canonicalPostalCode(postalCode, metadata);
  if (canonical === null) {
    const where = country ? ` for ${country}` : '';
    violations.push({ field: 'postalCode', code: 'INVALID_POSTAL_CODE', message: `postalCode is not a valid postal code${where}.` });
  }
  return canonical;
}

function canonicalPostalCode(postalCode: string, metadata: CountryAddressMetadata): string | null {
  // NFKC folds the full-width digits that Chinese and Japanese input methods type.
  const typed = postalCode.normalize('NFKC').toUpperCase();
  // Anchored as a whole: some patterns (GB) are alternations.
  const valid = metadata.postalCodePattern;
  if (!metadata.hasOwnPostalCodePattern) return valid.test(typed) ? typed : null;

  const compact = typed.replace(/[\s-]/g, '');
  const layout = metadata.postalCodeLayout;
  const candidates =
    layout === undefined ? [typed, compact] : [layout ? compact.replace(...layout) : compact, typed];
  return candidates.find((candidate) => valid.test(candidate)) ?? null;
}
