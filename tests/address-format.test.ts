import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApiSchemaSdl } from '@meridian/schema';
import { buildSchema, isEnumType } from 'graphql';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import { registerUser, sampleAddress, type SignedInUser } from './support/seed.js';

interface AddressFormat {
  countryCode: string;
  fields: { name: string; label: string; required: boolean; maxLength: number | null }[];
  postalCodePattern: string | null;
  postalCodeExample: string | null;
  regions: { code: string; name: string }[];
  regionRequired: boolean;
}

type Outcome = { __typename: string; fields?: { field: string; code: string }[] };

let graph: TestGraph;
let user: SignedInUser;
let addressId: string;
let countries: { code: string; name: string }[];
let formats: Map<string, AddressFormat>;

const FORMAT_FIELDS = 'countryCode fields { name label required maxLength } postalCodePattern postalCodeExample regions { code name } regionRequired';
const OUTCOME_FIELDS = '__typename ... on ValidationFailed { fields { field code } }';
// Every country is asked for and checked in a few requests, with aliases: the query limits are raised for that.
const BATCH = 20;
const batches = <T>(items: T[]) => Array.from({ length: Math.ceil(items.length / BATCH) }, (_, index) => items.slice(index * BATCH, (index + 1) * BATCH));

beforeAll(async () => {
  graph = await startTestGraph({ env: { GRAPHQL_MAX_ALIASES: String(2 * BATCH), GRAPHQL_MAX_TOKENS: '20000', GRAPHQL_MAX_COST: '1000000' } });
  user = await registerUser(graph);
  const added = await graph.request<{ addAddress: { address: { id: string } } }>(op('AddAddress'), { input: sampleAddress }, { token: user.accessToken });
  addressId = added.body.data!.addAddress.address.id;
  countries = (await graph.request<{ countries: { code: string; name: string }[] }>(op('Countries'))).body.data!.countries;
  formats = new Map();
  for (const batch of batches(countries.map((country) => country.code))) {
    const query = `{ ${batch.map((code) => `${code}: addressFormat(countryCode: ${code}) { ${FORMAT_FIELDS} }`).join(' ')} }`;
    const response = await graph.request<Record<string, AddressFormat>>(query);
    expect(response.body.errors).toBeUndefined();
    for (const code of batch) formats.set(code, response.body.data![code]!);
  }
});
afterAll(() => graph?.stop());

/** An address as a form built from the format would send it: every shown field filled, from the format's example and first region. */
function filledFrom(format: AddressFormat): Record<string, string | null> {
  const values: Record<string, string> = {
    fullName: 'Ada Lovelace',
    company: 'Analytical Engines Ltd',
    line1: '12 Example Street',
    line2: 'Floor 3',
    city: 'Exampleton',
    // Where the region is free text, any name will do.
    region: format.regions[0]?.code ?? 'Central',
    postalCode: format.postalCodeExample ?? '',
    phone: '',
  };
  const input: Record<string, string | null> = { fullName: null, company: null, line1: null, line2: null, city: null, region: null, postalCode: null, phone: null, countryCode: format.countryCode };
  for (const field of format.fields) input[field.name] = values[field.name] || null;
  return input;
}

describe('countries', () => {
  it('lists every country addresses accept (the CountryCode enum), by English name, sorted', async () => {
    const countryCode = buildSchema(await loadApiSchemaSdl()).getType('CountryCode');
    if (!isEnumType(countryCode)) throw new Error('CountryCode is not an enum');
    expect(countries.map((country) => country.code).sort()).toEqual(countryCode.getValues().map((value) => value.name).sort());
    expect(countries).toContainEqual({ code: 'GB', name: 'United Kingdom' });
    expect(countries).toContainEqual({ code: 'KR', name: 'South Korea' });
    const names = countries.map((country) => country.name);
    expect(names).toEqual([...names].sort(new Intl.Collator('en').compare));
  });
});

describe('addressFormat', () => {
  it('describes the largest markets in their own terms', () => {
    const us = formats.get('US')!;
    expect(us.fields.map((field) => [field.name, field.label, field.required])).toEqual([
      ['fullName', 'Full name', true],
      ['company', 'Company', false],
      ['line1', 'Address line 1', true],
      ['line2', 'Address line 2', false],
      ['city', 'City', true],
      ['region', 'State', true],
      ['postalCode', 'ZIP code', true],
      ['phone', 'Phone', false],
    ]);
    expect(us).toMatchObject({ postalCodePattern: '^(?:(\\d{5})(?:[ \\-](\\d{4}))?)$', postalCodeExample: '95014', regionRequired: true });
    expect(us.regions).toContainEqual({ code: 'CA', name: 'California' });
    expect(us.regions).toContainEqual({ code: 'AE', name: 'Armed Forces (AE)' });

    const japan = formats.get('JP')!;
    expect(japan.fields.find((field) => field.name === 'region')).toMatchObject({ label: 'Prefecture', required: true });
    expect(japan.regions).toHaveLength(47);
    expect(japan.regions).toContainEqual({ code: '13', name: 'Tokyo' });

    const ireland = formats.get('IE')!;
    expect(ireland.fields.map((field) => field.label)).toEqual(expect.arrayContaining(['Eircode', 'County']));
    expect(ireland).toMatchObject({ regions: [], regionRequired: false });

    const britain = formats.get('GB')!;
    expect(britain.fields.map((field) => field.name)).not.toContain('region');
    expect(britain.fields.find((field) => field.name === 'city')).toMatchObject({ label: 'Post town', required: true, maxLength: 200 });

    // No postal codes in the United Arab Emirates; the emirate is required, as free text.
    expect(formats.get('AE')).toMatchObject({ postalCodePattern: null, postalCodeExample: null, regions: [], regionRequired: true });
    expect(formats.get('AE')!.fields.map((field) => field.name)).not.toContain('postalCode');
  });

  it('is accepted by the server for every country when filled from its example and first region, and refused without each required field', async () => {
    const refusedValid: string[] = [];
    const mismatched: string[] = [];
    const acceptedIncomplete: string[] = [];
    for (const batch of batches([...formats.values()])) {
      // Per country: the address as a form would send it (an update of one address), and the same without its required fields.
      const variables: Record<string, unknown> = { id: addressId };
      const fields = batch.flatMap((format) => {
        const required = format.fields.filter((field) => field.required).map((field) => field.name);
        variables[`valid${format.countryCode}`] = filledFrom(format);
        variables[`incomplete${format.countryCode}`] = { ...filledFrom(format), ...Object.fromEntries(required.map((field) => [field, ''])) };
        return [
          `valid${format.countryCode}: updateAddress(id: $id, input: $valid${format.countryCode}) { ${OUTCOME_FIELDS} }`,
          `incomplete${format.countryCode}: addAddress(input: $incomplete${format.countryCode}) { ${OUTCOME_FIELDS} }`,
        ];
      });
      const declarations = batch.flatMap((format) => [`$valid${format.countryCode}: AddressPatch!`, `$incomplete${format.countryCode}: AddressInput!`]);
      const response = await graph.request<Record<string, Outcome>>(`mutation($id: ID!, ${declarations.join(', ')}) { ${fields.join(' ')} }`, variables, { token: user.accessToken });
      expect(response.body.errors).toBeUndefined();
      for (const format of batch) {
        if (format.postalCodePattern && format.postalCodeExample && !new RegExp(format.postalCodePattern).test(format.postalCodeExample.toUpperCase())) {
          mismatched.push(`${format.countryCode}: ${format.postalCodeExample}`);
        }
        const valid = response.body.data![`valid${format.countryCode}`]!;
        if (valid.__typename !== 'AddressUpdated') refusedValid.push(`${format.countryCode}: ${JSON.stringify(valid.fields)}`);
        const required = format.fields.filter((field) => field.required).map((field) => `${field.name} REQUIRED`).sort();
        const refused = response.body.data![`incomplete${format.countryCode}`]!;
        const refusedFields = (refused.fields ?? []).map((field) => `${field.field} ${field.code}`).sort();
        if (refused.__typename !== 'ValidationFailed' || refusedFields.join() !== required.join()) {
          acceptedIncomplete.push(`${format.countryCode}: required ${required.join(', ')}; refused ${refusedFields.join(', ')}`);
        }
      }
    }
    expect(mismatched).toEqual([]);
    expect(refusedValid).toEqual([]);
    expect(acceptedIncomplete).toEqual([]);
    expect(formats.size).toBeGreaterThan(240);
  });

  it('is refused by the server past each maximum length it gives', async () => {
    const format = formats.get('DE')!;
    for (const field of format.fields.filter((candidate) => candidate.maxLength !== null && candidate.name !== 'phone' && candidate.name !== 'postalCode')) {
      const input = { ...filledFrom(format), [field.name]: 'x'.repeat(field.maxLength! + 1) };
      const refused = await graph.request<{ addAddress: Outcome }>(op('AddAddress'), { input }, { token: user.accessToken });
      expect({ field: field.name, outcome: refused.body.data!.addAddress }).toMatchObject({ field: field.name, outcome: { fields: [{ field: field.name, code: 'TOO_LONG' }] } });
    }
  });
});

describe('Cache-Control', () => {
  async function get(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    const search = new URLSearchParams({ query, variables: JSON.stringify(variables) });
    const response = await fetch(`${graph.routerUrl}?${search}`, { headers: { 'apollo-require-preflight': 'true', ...headers } });
    return { status: response.status, cacheControl: response.headers.get('cache-control'), body: (await response.json()) as { data?: unknown; errors?: unknown } };
  }

  it('lets anyone cache the countries and address formats for a day, signed in or not', async () => {
    for (const headers of [{}, { authorization: `Bearer ${user.accessToken}` }] as Record<string, string>[]) {
      const listed = await get(op('Countries'), {}, headers);
      expect({ status: listed.status, cacheControl: listed.cacheControl, errors: listed.body.errors }).toEqual({ status: 200, cacheControl: 'public, max-age=86400', errors: undefined });
      const format = await get(op('AddressFormat'), { countryCode: 'JP' }, headers);
      expect({ status: format.status, cacheControl: format.cacheControl, errors: format.body.errors }).toEqual({ status: 200, cacheControl: 'public, max-age=86400', errors: undefined });
    }
  });

  it('keeps an answer that also holds account data private', async () => {
    const mixed = await get('query { countries { code } me { id } }', {}, { authorization: `Bearer ${user.accessToken}` });
    expect({ status: mixed.status, cacheControl: mixed.cacheControl }).toEqual({ status: 200, cacheControl: 'private, no-store' });
  });
});
