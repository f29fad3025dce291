import { DateScalar, DateTimeScalar, LocaleScalar } from '@meridian/platform';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Mutation } from './Mutation.js';
import { ProductVariant } from './ProductVariant.js';
import { Query } from './Query.js';
import { ReservationLine } from './ReservationLine.js';
import { StockLevel } from './StockLevel.js';
import { StockShortage } from './StockShortage.js';

export const resolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Locale: LocaleScalar,
  Query,
  Mutation,
  ProductVariant,
  StockLevel,
  ReservationLine,
  StockShortage,
};
