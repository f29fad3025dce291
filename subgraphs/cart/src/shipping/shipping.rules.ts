import { money } from '@meridian/money';
import type { ShippingMethodView } from '../carts/carts.model.js';
import type { ShippingMethodOffer } from './shipping.repository.js';

/**
 * The methods a cart may choose: those that deliver to its shipping address's country (every method while
 * it has none) and have a price in its currency.
 */
export function availableMethods(methods: readonly ShippingMethodOffer[], currency: string, country: string | null): ShippingMethodView[] {
  return methods.flatMap((method) => {
    const rate = method.rates[currency];
    if (rate === undefined || (country !== null && !method.countries.includes(country))) return [];
    return [{ code: method.code, names: method.names, price: money(rate, currency) }];
  });
}

/** Why a cart cannot choose the method, or null when it can. */
export function shippingRefusal(method: ShippingMethodOffer, currency: string, country: string | null): string | null {
  if (country === null) return 'Set a shipping address first: shipping methods depend on its country.';
  if (!method.countries.includes(country)) return `The shipping method ${method.code} does not deliver to ${country}.`;
  if (method.rates[currency] === undefined) return `The shipping method ${method.code} has no price in ${currency}.`;
  return null;
}
