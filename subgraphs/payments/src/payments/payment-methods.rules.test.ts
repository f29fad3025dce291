import { describe, expect, it } from 'vitest';
import { ConfigError } from '@meridian/platform';
import { DEFAULT_METHOD_RULES, offeredMethods, parseMethodRules } from './payment-methods.rules.js';

const all = new Set(['card', 'paypal', 'bank_transfer'] as const);

describe('payment methods by country and currency', () => {
  it('offers bank transfer in euros to Germany, not in dollars nor to the US', () => {
    expect(offeredMethods(DEFAULT_METHOD_RULES, all, 'DE', 'EUR')).toEqual(['card', 'paypal', 'bank_transfer']);
    expect(offeredMethods(DEFAULT_METHOD_RULES, all, 'US', 'USD')).toEqual(['card', 'paypal']);
    expect(offeredMethods(DEFAULT_METHOD_RULES, all, 'JP', 'JPY')).toEqual(['card']);
  });

  it('offers only methods whose gateway is configured', () => {
    expect(offeredMethods(DEFAULT_METHOD_RULES, new Set(['bank_transfer'] as const), 'DE', 'EUR')).toEqual(['bank_transfer']);
  });

  it('reads PAYMENT_METHODS and refuses a malformed one', () => {
    expect(parseMethodRules([{ method: 'PAYPAL', countries: ['*'], currencies: ['USD'] }])).toEqual([{ method: 'paypal', countries: ['*'], currencies: ['USD'] }]);
    expect(() => parseMethodRules({})).toThrow(ConfigError);
    expect(() => parseMethodRules([{ method: 'CASH', countries: ['*'], currencies: ['*'] }])).toThrow(/method must be one of/);
    expect(() => parseMethodRules([{ method: 'CARD', countries: [], currencies: ['*'] }])).toThrow(/countries/);
  });
});
