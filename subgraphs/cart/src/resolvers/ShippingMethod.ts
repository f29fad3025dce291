import { pickLocalized } from '@meridian/platform';
import type { ShippingMethodResolvers } from '../__generated__/resolvers-types.js';

export const ShippingMethod: ShippingMethodResolvers = {
  // Every method is named in English at least (the chain ends there); the code stands in for a method that is not.
  name: (method, _args, { chain }) => pickLocalized(method.names, chain) ?? { value: method.code, locale: 'en', isFallback: true },
};
