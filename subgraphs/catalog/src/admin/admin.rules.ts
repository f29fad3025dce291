import { canonicalLocale, type FieldViolation } from '@meridian/platform';
import type { Translations } from '@meridian/db/catalog';

/** The longest name of a product, category, collection, option group or value. */
export const MAX_NAME = 200;

/**
 * Names per locale (categories, collections, option groups and values): at least one, each under a
 * BCP 47 tag (stored canonical) and 1 to `MAX_NAME` characters once trimmed. The violations are added
 * to `violations`, by `<field>.<index>.locale|value`; a locale given twice keeps its last name.
 */
export function readNames(inputs: readonly { locale: string; value: string }[], field: string, violations: FieldViolation[]): Translations {
  const names: Translations = {};
  if (inputs.length === 0) violations.push({ field, code: 'REQUIRED', message: 'At least one name' });
  inputs.forEach((input, index) => {
    const locale = canonicalLocale(input.locale);
    const name = input.value.trim();
    if (!locale) violations.push({ field: `${field}.${index}.locale`, code: 'INVALID_LOCALE', message: 'Not a BCP 47 language tag' });
    if (name.length === 0) violations.push({ field: `${field}.${index}.value`, code: 'REQUIRED', message: 'A name is required' });
    else if (name.length > MAX_NAME) violations.push({ field: `${field}.${index}.value`, code: 'TOO_LONG', message: `At most ${MAX_NAME} characters` });
    else if (locale) names[locale] = name;
  });
  return names;
}

/** The first of `currencies` the shop does not sell in (`sold`, its `Shop.currencies`), or null. */
export function unsoldCurrency<Currency extends string>(currencies: Iterable<Currency>, sold: readonly string[]): Currency | null {
  for (const currency of currencies) if (!sold.includes(currency)) return currency;
  return null;
}
