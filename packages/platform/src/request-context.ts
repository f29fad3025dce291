import { match } from '@formatjs/intl-localematcher';
import Negotiator from 'negotiator';
import { canonicalLocale } from './localized-text.js';

/** What the shop sells in: only these locales and currencies can be chosen for a request. */
export interface ShopSettings {
  defaultLocale: string;
  defaultCurrency: string;
  /** Enabled locales (BCP 47), the default among them. */
  locales: readonly string[];
  /** Enabled currencies (ISO 4217), the default among them. */
  currencies: readonly string[];
}

/** Everything a request says, or implies, about the language and currency it wants. */
export interface ContextRequest {
  /** Chosen by the client for this request (`x-meridian-locale` / `x-meridian-currency` or `@inContext`). */
  explicit?: { locale?: string | null; currency?: string | null };
  /** The signed-in user's preferences from the profile. */
  profile?: { locale?: string | null; currency?: string | null } | null;
  /** The `Accept-Language` header. */
  acceptLanguage?: string | null;
}

export type ContextSource = 'explicit' | 'profile' | 'accept-language' | 'default';

/** The locale and currency a request is answered in, resolved once by the router. */
export interface RequestLocalization {
  locale: string;
  currency: string;
  localeSource: ContextSource;
  currencySource: ContextSource;
}

/** The enabled locale that serves `requested` (`fr-CA` → `fr` when only `fr` is enabled), or null. */
function enabledLocaleFor(requested: string | null | undefined, shop: ShopSettings): string | null {
  const canonical = requested ? canonicalLocale(requested) : null;
  if (!canonical) return null;
  // RFC 4647 lookup: drop subtags from the end until an enabled locale matches.
  const found = match([canonical], shop.locales, '', { algorithm: 'lookup' });
  return found === '' ? null : found;
}

function enabledCurrency(requested: string | null | undefined, shop: ShopSettings): string | null {
  const code = requested?.trim().toUpperCase();
  return code && shop.currencies.includes(code) ? code : null;
}

/** The enabled locale best serving an Accept-Language header, in the order of its q-values. */
function fromAcceptLanguage(header: string | null | undefined, shop: ShopSettings): string | null {
  if (!header) return null;
  const preferred = new Negotiator({ headers: { 'accept-language': header } }).languages();
  for (const language of preferred) {
    if (language === '*') continue;
    const found = enabledLocaleFor(language, shop);
    if (found) return found;
  }
  return null;
}

/**
 * The request's locale and currency, in this order: the client's explicit choice, the signed-in
 * user's profile, `Accept-Language` (locale only), the shop's default. A choice that is not
 * enabled never wins: it falls through to the next source.
 */
export function resolveRequestLocalization(request: ContextRequest, shop: ShopSettings): RequestLocalization {
  const localeCandidates: [ContextSource, string | null][] = [
    ['explicit', enabledLocaleFor(request.explicit?.locale, shop)],
    ['profile', enabledLocaleFor(request.profile?.locale, shop)],
    ['accept-language', fromAcceptLanguage(request.acceptLanguage, shop)],
  ];
  const currencyCandidates: [ContextSource, string | null][] = [
    ['explicit', enabledCurrency(request.explicit?.currency, shop)],
    ['profile', enabledCurrency(request.profile?.currency, shop)],
  ];
  const [localeSource, locale] = localeCandidates.find(([, value]) => value !== null) ?? ['default', shop.defaultLocale];
  const [currencySource, currency] = currencyCandidates.find(([, value]) => value !== null) ?? ['default', shop.defaultCurrency];
  return { locale: locale!, currency: currency!, localeSource, currencySource };
}
