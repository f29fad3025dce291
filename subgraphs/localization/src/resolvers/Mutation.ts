import type { MutationResolvers } from '../__generated__/resolvers-types.js';

export const Mutation: MutationResolvers = {
  enableLocale: (_parent, { code }, { shop }) => shop.setLocale(code, 'enable'),
  disableLocale: (_parent, { code }, { shop }) => shop.setLocale(code, 'disable'),
  setDefaultLocale: (_parent, { code }, { shop }) => shop.setLocale(code, 'default'),
  enableCurrency: (_parent, { code }, { shop }) => shop.setCurrency(code, 'enable'),
  disableCurrency: (_parent, { code }, { shop }) => shop.setCurrency(code, 'disable'),
  setDefaultCurrency: (_parent, { code }, { shop }) => shop.setCurrency(code, 'default'),
  setMessage: (_parent, { input }, { messages, viewer }) => messages.set(input, viewer!.userId),
  deleteMessage: (_parent, args, { messages }) => messages.delete(args),
  importExchangeRates: (_parent, { document }, { rates }) => rates.importEcbDocument(document),
};
