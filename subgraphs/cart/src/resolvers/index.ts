import { DateScalar, DateTimeScalar, LocaleScalar, moneyResolvers } from '@meridian/platform';
import type { CurrencyCode, Resolvers } from '../__generated__/resolvers-types.js';
import { Cart } from './Cart.js';
import { CartLineAdded } from './CartLineAdded.js';
import { CartMergeAdjustment } from './CartMergeAdjustment.js';
import { DiscountCode } from './DiscountCode.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { ShippingMethod } from './ShippingMethod.js';
import { User } from './User.js';

export const resolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Locale: LocaleScalar,
  Money: moneyResolvers<CurrencyCode>(),
  Query,
  Mutation,
  Cart,
  CartLineAdded,
  CartMergeAdjustment,
  DiscountCode,
  ShippingMethod,
  User,
};
