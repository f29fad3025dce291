import { pickLocalized, type LocalizedText } from '@meridian/platform';

/**
 * The best text for a fallback chain, else any text there is (the catalog may hold a product only in
 * a language the shop no longer defaults to): null only when there is no text at all.
 */
export function localize(translations: Readonly<Record<string, string>>, chain: readonly string[]): LocalizedText | null {
  const picked = pickLocalized(translations, chain);
  if (picked) return picked;
  const [locale] = Object.keys(translations).sort();
  return locale === undefined ? null : { value: translations[locale]!, locale, isFallback: true };
}
