import { DateScalar, DateTimeScalar, LocaleScalar, moneyResolvers } from '@meridian/platform';
import type { CurrencyCode, Resolvers } from '../__generated__/resolvers-types.js';
import { Category, Collection } from './Category.js';
import { Mutation } from './Mutation.js';
import { OptionGroup, OptionValue, ProductImage } from './Options.js';
import { Product } from './Product.js';
import { CategoryFacet, ProductConnection, ProductEdge, ProductFacets } from './ProductConnection.js';
import { ProductVariant } from './ProductVariant.js';
import { Query } from './Query.js';
import { ProductSaved, VariantSaved } from './Saved.js';

export const resolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Locale: LocaleScalar,
  Money: moneyResolvers<CurrencyCode>(),
  Query,
  Mutation,
  Product,
  ProductVariant,
  Category,
  Collection,
  OptionGroup,
  OptionValue,
  ProductImage,
  ProductConnection,
  ProductEdge,
  ProductFacets,
  CategoryFacet,
  ProductSaved,
  VariantSaved,
};
