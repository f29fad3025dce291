/**
 * Locales as BCP 47 tags, the fallback chain a request's locale walks, and the pick of a
 * translatable field's best value along it. Every subgraph with translatable fields uses these, so
 * `fr-CA` falls back to `fr` and then to the shop's default the same way everywhere.
 */

/**
 * The canonical form of a BCP 47 language tag (`en-gb` → `en-GB`), or null if it is not one with an ISO 639 language.
 * Remembered for the last tags seen: `Intl.getCanonicalLocales` took about 1% of the router's CPU, once per request.
 */
export function canonicalLocale(tag: string): string | null {
  if (tag.length === 0 || tag.length > 35) return null;
  const known = canonicalTags.get(tag);
  if (known !== undefined) return known;
  let canonical: string | null;
  try {
    const first = Intl.getCanonicalLocales(tag)[0];
    // An ISO 639 language first: BCP 47 also allows 5–8 letter subtags that no language uses.
    canonical = first && /^[a-z]{2,3}(-|$)/.test(first) ? first : null;
  } catch {
    canonical = null;
  }
  if (canonicalTags.size >= MAX_CACHED_TAGS) canonicalTags.clear();
  canonicalTags.set(tag, canonical);
  return canonical;
}

const MAX_CACHED_TAGS = 512;
const canonicalTags = new Map<string, string | null>();

/** `zh-Hant-TW` → `['zh-Hant-TW', 'zh-Hant', 'zh']`, from the tag without extensions (`-u-…`). */
function truncations(tag: string): string[] {
  const subtags = new Intl.Locale(tag).baseName.split('-');
  return subtags.map((_, dropped) => subtags.slice(0, subtags.length - dropped).join('-'));
}

/**
 * `fr-CA` → `['fr-CA', 'fr', <default>…]`: the locale, each shorter tag made by dropping its last
 * subtag, then the same for the default, without repeats. An invalid locale starts at the default.
 */
export function fallbackChain(locale: string, defaultLocale: string): string[] {
  // Every request builds one, from the few locales a shop speaks; Intl's parsing is the costly part.
  const key = `${locale}\u0000${defaultLocale}`;
  let chain = chains.get(key);
  if (!chain) {
    const requested = canonicalLocale(locale);
    const fallback = canonicalLocale(defaultLocale) ?? 'en';
    chain = [...new Set([...(requested ? truncations(requested) : []), ...truncations(fallback)])];
    if (chains.size >= MAX_CACHED_CHAINS) chains.clear();
    chains.set(key, chain);
  }
  return [...chain];
}

const MAX_CACHED_CHAINS = 512;
const chains = new Map<string, string[]>();

/** A translated value and where it came from. */
export interface LocalizedText {
  value: string;
  /** The locale the value is written in. */
  locale: string;
  /** Whether the value is in another locale than the one asked for (a step down the fallback chain). */
  isFallback: boolean;
}

/**
 * The best translation of a field for a fallback chain: the first locale of the chain that has a
 * value. `null` when none has (the field was never written in any locale of the chain).
 */
export function pickLocalized(translations: ReadonlyMap<string, string> | Readonly<Record<string, string>>, chain: readonly string[]): LocalizedText | null {
  const lookup = translations instanceof Map ? (locale: string) => translations.get(locale) : (locale: string) => (translations as Record<string, string>)[locale];
  for (const [index, locale] of chain.entries()) {
    const value = lookup(locale);
    if (value !== undefined) return { value, locale, isFallback: index > 0 };
  }
  return null;
}
