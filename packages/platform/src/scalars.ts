import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

function parseInstant(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value as string)) {
    throw new GraphQLError('DateTime must be an ISO 8601 date-time string', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return date;
}

/** `DateTime` from common.graphql: a `Date` inside, an ISO 8601 UTC string on the wire. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize(value) {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'string') return new Date(value).toISOString();
    throw new TypeError('DateTime cannot represent this value');
  },
  parseValue: parseInstant,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    return parseInstant(ast.value);
  },
});

function readLocaleTag(value: unknown): string {
  if (typeof value !== 'string') throw new GraphQLError('Locale must be a string (a BCP 47 language tag)', { extensions: { code: 'BAD_USER_INPUT' } });
  return value;
}

/**
 * `Locale` from common.graphql: a BCP 47 language tag, carried as a string. The scalar takes any
 * string; a use case that stores one checks it (`readLocale`, a field error `INVALID_LOCALE`).
 */
export const LocaleScalar = new GraphQLScalarType<string, string>({
  name: 'Locale',
  serialize: readLocaleTag,
  parseValue: readLocaleTag,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Locale must be a string (a BCP 47 language tag)', { extensions: { code: 'BAD_USER_INPUT' } });
    return ast.value;
  },
});

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function readDate(value: unknown): string {
  const match = typeof value === 'string' ? FULL_DATE.exec(value) : null;
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!match || !date || date.toISOString().slice(0, 10) !== value) {
    throw new GraphQLError('Date must be an RFC 3339 full-date such as 2026-11-30', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value as string;
}

/** `Date` from common.graphql: a calendar day, `YYYY-MM-DD`, carried as that string (as PostgreSQL's `date` reads). */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  serialize(value) {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return readDate(value);
  },
  parseValue: readDate,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Date must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    return readDate(ast.value);
  },
});
