import type { QueryResolvers } from '../__generated__/resolvers-types.js';

export const Query: QueryResolvers = {
  addressFormat: (_parent, { countryCode }, { addressFormats }) => addressFormats.format(countryCode),
  countries: (_parent, _args, { addressFormats }) => addressFormats.countries(),
};
