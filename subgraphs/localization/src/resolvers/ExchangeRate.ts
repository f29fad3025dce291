import type { CurrencyCode, ExchangeRateResolvers, RateDerivation } from '../__generated__/resolvers-types.js';
import { trimDecimal } from '../rates/rates.model.js';

// Rows hold ISO codes the import checked and the derivation in lower case; the schema names them as enums.
export const ExchangeRate: ExchangeRateResolvers = {
  from: (rate) => rate.base.trim() as CurrencyCode,
  to: (rate) => rate.quote.trim() as CurrencyCode,
  rate: (rate) => trimDecimal(rate.rate),
  derivation: (rate) => rate.derivation.toUpperCase() as RateDerivation,
};
