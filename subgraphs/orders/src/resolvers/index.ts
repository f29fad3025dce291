import { DateScalar, DateTimeScalar, LocaleScalar, moneyResolvers } from '@meridian/platform';
import type { CurrencyCode, Resolvers } from '../__generated__/resolvers-types.js';
import { Mutation } from './Mutation.js';
import { Order } from './Order.js';
import { OrderEventKind } from './OrderEventKind.js';
import { OrderFeedEvent } from './OrderFeedEvent.js';
import { OrderLine } from './OrderLine.js';
import { OrderStatusChange } from './OrderStatusChange.js';
import { Query } from './Query.js';
import { StockShortage } from './StockShortage.js';
import { User } from './User.js';

export const resolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Locale: LocaleScalar,
  Money: moneyResolvers<CurrencyCode>(),
  Query,
  Mutation,
  Order,
  OrderEventKind,
  OrderFeedEvent,
  OrderLine,
  OrderStatusChange,
  StockShortage,
  User,
};
