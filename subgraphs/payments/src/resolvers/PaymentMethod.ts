import type { PaymentMethodResolvers } from '../__generated__/resolvers-types.js';

const FLOWS = { card: 'CLIENT_CONFIRMATION', paypal: 'REDIRECT', bank_transfer: 'OFFLINE' } as const;

export const PaymentMethod: PaymentMethodResolvers = {
  // The generated type of an enum with internal values is `null` (graphql-codegen); the value is one of the adapters' codes.
  code: (method) => method.method as never,
  flow: (method) => FLOWS[method.method],
};
