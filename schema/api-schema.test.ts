import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  isScalarType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { CURRENCIES } from '@meridian/money';
import { describe, expect, it } from 'vitest';
import { apiSchemaOf, apiSchemaSdl, composeSupergraph, loadApiSchemaSdl, loadSupergraphSdl } from './supergraph.js';

const apiSchema = async () => apiSchemaOf(await loadSupergraphSdl());

/** Every schema coordinate of the API that has no description: types, fields, arguments, enum values, input fields. */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (coordinate: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(coordinate);
  };
  const types = Object.values(schema.getTypeMap()).filter((type: GraphQLNamedType) => !isIntrospectionType(type) && !isSpecifiedScalarType(type));
  for (const type of types) {
    // The root operation types are described by their fields.
    if (![schema.getQueryType(), schema.getMutationType()].includes(type as never)) check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const argument of field.args) check(`${type.name}.${field.name}(${argument.name}:)`, argument.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  return missing;
}

describe('the API schema (schema/api.graphql)', () => {
  it('matches the API schema of the freshly composed supergraph (run `pnpm compose` if not)', async () => {
    const composition = await composeSupergraph();
    if (!composition.ok) throw new Error(composition.errors.join('\n'));
    expect(await loadApiSchemaSdl()).toBe(apiSchemaSdl(composition.supergraphSdl));
  });

  it('describes every type, field, argument, enum value and input field', async () => {
    expect(undescribed(await apiSchema())).toEqual([]);
  });

  it('finds what lacks a description, in the real schema with one removed', async () => {
    const schema = await apiSchema();
    const field = schema.getMutationType()!.getFields().addAddress!;
    const argument = field.args[0]!;
    const original = argument.description;
    argument.description = undefined;
    try {
      expect(undescribed(schema)).toEqual(['Mutation.addAddress(input:)']);
    } finally {
      argument.description = original;
    }
  });

  it('documents each custom scalar with the specification it follows', async () => {
    const schema = await apiSchema();
    const scalars = Object.values(schema.getTypeMap()).filter((type) => isScalarType(type) && !isSpecifiedScalarType(type));
    expect(Object.fromEntries(scalars.map((scalar) => [scalar.name, (scalar as { specifiedByURL?: string | null }).specifiedByURL]))).toEqual({
      Date: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6',
      DateTime: 'https://www.rfc-editor.org/rfc/rfc3339',
      Locale: 'https://www.rfc-editor.org/rfc/rfc5646',
    });
  });

  it('has closed code lists as enums: ISO 3166-1 countries, ISO 4217 currencies in use, roles', async () => {
    const schema = await apiSchema();
    const values = (name: string) => {
      const type = schema.getType(name);
      if (!isEnumType(type)) throw new Error(`${name} is not an enum`);
      return type.getValues().map((value) => value.name);
    };
    const countries = values('CountryCode');
    expect(countries).toHaveLength(249);
    expect(countries).toEqual(expect.arrayContaining(['GB', 'US', 'DE', 'JP', 'AQ', 'SS']));
    expect(countries).not.toContain('XK');
    const currencies = values('CurrencyCode');
    expect(currencies).toEqual(expect.arrayContaining(['EUR', 'USD', 'JPY', 'GBP', 'CHF', 'XOF', 'KWD', 'CLF', 'USN']));
    // The same set @meridian/money computes with: ISO 4217 codes that have minor units.
    expect([...currencies].sort()).toEqual([...CURRENCIES.keys()].sort());
    for (const excluded of ['XAU', 'XAG', 'XPD', 'XPT', 'XTS', 'XXX', 'XBA', 'XDR', 'XSU', 'XUA']) {
      expect(currencies).not.toContain(excluded);
    }
    expect(values('Role')).toEqual(['CUSTOMER', 'ADMIN']);
    const type = (coordinate: string) => {
      const [typeName, fieldName] = coordinate.split('.') as [string, string];
      const owner = schema.getType(typeName) as { getFields(): Record<string, { type: unknown }> };
      return String(owner.getFields()[fieldName]!.type);
    };
    expect(['Address.countryCode', 'AddressInput.countryCode', 'AddressPatch.countryCode', 'Profile.preferredCurrency', 'UpdateProfileInput.preferredCurrency', 'User.roles', 'UserFilter.role'].map(type)).toEqual([
      'CountryCode!',
      'CountryCode!',
      'CountryCode',
      'CurrencyCode',
      'CurrencyCode',
      '[Role!]!',
      'Role',
    ]);
    expect(['Profile.preferredLocale', 'UpdateProfileInput.preferredLocale', 'RegisterInput.preferredLocale'].map(type)).toEqual(['Locale', 'Locale', 'Locale']);
  });

  it('answers every mutation with a result union, and lists a user’s addresses as a non-null list', async () => {
    const schema = await apiSchema();
    const mutations = Object.values(schema.getMutationType()!.getFields());
    expect(mutations.filter((field) => !/^[A-Za-z]+Result!$/.test(String(field.type))).map((field) => `${field.name}: ${String(field.type)}`)).toEqual([]);
    expect(String((schema.getType('User') as { getFields(): Record<string, { type: unknown }> }).getFields().addresses!.type)).toBe('[Address!]!');
  });
});
