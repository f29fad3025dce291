import { match } from '@formatjs/intl-localematcher';

/** The languages the shop offers (the localization service's `shop`). */
export interface ShopLanguages {
  defaultLocale: string;
  locales: readonly string[];
}

function enabledFor(requested: string | null | undefined, shop: ShopLanguages): string | null {
  if (!requested) return null;
  let canonical: string;
  try {
    [canonical] = Intl.getCanonicalLocales(requested) as [string];
  } catch {
    return null;
  }
  // RFC 4647 lookup: `fr-CA` is served by `fr` when only `fr` is enabled.
  const found = match([canonical], shop.locales, '', { algorithm: 'lookup' });
  return found === '' ? null : found;
}

/**
 * The customer's current language for a message: the account's preference where it states one, else the
 * language the order was placed in, each only if the shop offers it (or a more general tag of it); else the
 * shop's default.
 */
export function messageLocale(input: { preferred: string | null; orderLocale: string }, shop: ShopLanguages): string {
  return enabledFor(input.preferred, shop) ?? enabledFor(input.orderLocale, shop) ?? shop.defaultLocale;
}
