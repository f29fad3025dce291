import { GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** WebAuthn options and responses, passed through as JSON objects; anything but an object is refused. */
export const JSONScalar = new GraphQLScalarType<Record<string, unknown>, Record<string, unknown>>({
  name: 'JSON',
  serialize: (value) => {
    if (!isObject(value)) throw new TypeError('JSON values are objects');
    return value;
  },
  parseValue: (value) => {
    if (!isObject(value)) throw new TypeError('A JSON object is expected');
    return value;
  },
  parseLiteral: (ast, variables) => {
    if (ast.kind !== Kind.OBJECT) throw new TypeError('A JSON object is expected');
    return valueFromASTUntyped(ast, variables) as Record<string, unknown>;
  },
});
