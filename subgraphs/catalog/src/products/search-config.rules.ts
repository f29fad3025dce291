/**
 * The PostgreSQL text-search configuration for a language: its stemmer and stop words where
 * PostgreSQL has them, `simple` (lower-cased words, no stemming) for the rest, Japanese and Chinese
 * included; trigram similarity then catches what stemming does not.
 */
const CONFIGS: Record<string, string> = {
  ar: 'arabic',
  ca: 'catalan',
  da: 'danish',
  de: 'german',
  el: 'greek',
  en: 'english',
  es: 'spanish',
  eu: 'basque',
  fi: 'finnish',
  fr: 'french',
  ga: 'irish',
  hi: 'hindi',
  hu: 'hungarian',
  hy: 'armenian',
  id: 'indonesian',
  it: 'italian',
  lt: 'lithuanian',
  ne: 'nepali',
  nl: 'dutch',
  no: 'norwegian',
  nb: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
  yi: 'yiddish',
};

export function searchConfigFor(locale: string): string {
  return CONFIGS[locale.split('-')[0]!.toLowerCase()] ?? 'simple';
}
