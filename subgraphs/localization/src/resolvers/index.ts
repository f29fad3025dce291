import { DateScalar, DateTimeScalar, LocaleScalar, moneyResolvers } from '@meridian/platform';
import type { CurrencyCode, Resolvers } from '../__generated__/resolvers-types.js';
import { ExchangeRate } from './ExchangeRate.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';

export const resolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Locale: LocaleScalar,
  Money: moneyResolvers<CurrencyCode>(),
  Query,
  Mutation,
  ExchangeRate,
};
