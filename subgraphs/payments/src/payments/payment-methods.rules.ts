import { ConfigError } from '@meridian/platform';
import type { MethodCode } from '../gateways/payment-gateway.js';

/** Which method is offered where: `*` for every country or currency (configuration, `PAYMENT_METHODS`). */
export interface MethodRule {
  method: MethodCode;
  countries: readonly string[];
  currencies: readonly string[];
}

export const DEFAULT_METHOD_RULES: readonly MethodRule[] = [
  { method: 'card', countries: ['*'], currencies: ['*'] },
  { method: 'paypal', countries: ['*'], currencies: ['EUR', 'USD', 'GBP'] },
  { method: 'bank_transfer', countries: ['DE', 'AT', 'NL', 'BE', 'FR', 'ES', 'IT'], currencies: ['EUR'] },
];

const CODES: Record<string, MethodCode> = { CARD: 'card', PAYPAL: 'paypal', BANK_TRANSFER: 'bank_transfer' };
const LIST = /^(\*|[A-Z]{2,3})$/;

/** Reads `PAYMENT_METHODS`: `[{ "method": "CARD", "countries": ["*"], "currencies": ["EUR"] }, …]`; refuses anything else. */
export function parseMethodRules(json: unknown): MethodRule[] {
  if (!Array.isArray(json)) throw new ConfigError('PAYMENT_METHODS must be a JSON array');
  return json.map((entry: unknown, index) => {
    const rule = entry as { method?: unknown; countries?: unknown; currencies?: unknown };
    const method = typeof rule?.method === 'string' ? CODES[rule.method] : undefined;
    if (!method) throw new ConfigError(`PAYMENT_METHODS[${index}].method must be one of ${Object.keys(CODES).join(', ')}`);
    const list = (value: unknown, name: string) => {
      if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === 'string' && LIST.test(item))) {
        throw new ConfigError(`PAYMENT_METHODS[${index}].${name} must be a non-empty list of codes or "*"`);
      }
      return value as string[];
    };
    return { method, countries: list(rule.countries, 'countries'), currencies: list(rule.currencies, 'currencies') };
  });
}

/** The methods offered for a country and currency, among those with a configured gateway, in the rules' order. */
export function offeredMethods(rules: readonly MethodRule[], configured: ReadonlySet<MethodCode>, country: string | null, currency: string): MethodCode[] {
  const matches = (list: readonly string[], value: string | null) => list.includes('*') || (value !== null && list.includes(value));
  const offered = rules.filter((rule) => configured.has(rule.method) && matches(rule.countries, country) && matches(rule.currencies, currency)).map((rule) => rule.method);
  return [...new Set(offered)];
}
