import { describe, expect, it } from 'vitest';
import { addressMetadata } from './address.metadata.js';
import { validateAddress } from './address.rules.js';

describe('addressMetadata', () => {
  it("orders the fields as the country's format does, phone last", () => {
    expect(addressMetadata('DE').shown).toEqual(['fullName', 'company', 'line1', 'line2', 'postalCode', 'city', 'phone']);
    expect(addressMetadata('US').shown).toEqual(['fullName', 'company', 'line1', 'line2', 'city', 'region', 'postalCode', 'phone']);
  });

  it('shows a field the server requires even where the postal format leaves it out, after the address lines', () => {
    // Japanese addresses carry the city in the address lines, but every address needs one here.
    expect(addressMetadata('JP').shown).toEqual(['fullName', 'company', 'line1', 'line2', 'city', 'region', 'postalCode', 'phone']);
  });

  it("labels fields in the country's own terms, with libaddressinput's defaults", () => {
    expect(addressMetadata('IE').rules).toMatchObject({ region: { label: 'County' }, postalCode: { label: 'Eircode' } });
    expect(addressMetadata('GB').rules.city.label).toBe('Post town');
    expect(addressMetadata('DE').rules).toMatchObject({ city: { label: 'City' }, region: { label: 'Province' }, postalCode: { label: 'Postal code' } });
  });

  it('gives a country without address data the defaults, which validation applies too', () => {
    const metadata = addressMetadata('AQ');
    expect(metadata).toMatchObject({ hasOwnPostalCodePattern: false, regions: null, postalCodeExample: null });
    expect(metadata.rules.postalCode.required).toBe(false);
    expect(validateAddress({ fullName: 'A', line1: 'Base', city: 'McMurdo', countryCode: 'AQ', postalCode: '12_34' })).toMatchObject({
      ok: false,
      violations: [{ field: 'postalCode', code: 'INVALID_POSTAL_CODE' }],
    });
  });

  it('lists the regions addresses name by code, by English name, each once', () => {
    const italy = addressMetadata('IT').regions!;
    // AO (the sigla on mail) and 23 (ISO) are one region, listed once under its ISO code.
    expect(italy.list.filter((region) => region.code === '23' || region.code === 'AO')).toEqual([{ code: '23', name: expect.any(String) }]);
    expect(italy.byCode.get('AO')).toBe('23');
    expect(addressMetadata('IE').regions).toBeNull();
  });
});
