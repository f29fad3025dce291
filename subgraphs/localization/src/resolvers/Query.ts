import type { QueryResolvers } from '../__generated__/resolvers-types.js';

export const Query: QueryResolvers = {
  shop: (_parent, _args, { shop }) => shop.settings(),
  exchangeRate: (_parent, { from, to }, { rates }) => rates.exchangeRate(from, to),
  convert: (_parent, { amount, from, to }, { rates }) => rates.convert(amount, from, to),
  convertAll: (_parent, { amounts, from, to }, { rates }) => rates.convertAll(amounts, from, to),
  allocate: (_parent, { amount, currency, ratios }, { rates }) => rates.allocate(amount, currency, ratios),
  messages: (_parent, { namespace, locale }, context) => context.messages.forLocale(namespace, locale ?? context.localization.locale),
};
