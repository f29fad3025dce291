import { LRUCache } from 'lru-cache';
import { currency } from './currencies.js';
import { MoneyError } from './money.errors.js';
import { parseMoney, toDecimal, type Money } from './money.js';

// Locales can come from clients (Accept-Language), so the formatter cache is bounded.
const formatters = new LRUCache<string, Intl.NumberFormat>({ max: 1_000 });

/** A currency formatter for a locale, always with exactly the ISO 4217 decimal places (CLDR differs for a few currencies). */
function formatter(locale: string, currencyCode: string): Intl.NumberFormat {
  const key = `${locale}\u0000${currencyCode}`;
  let found = formatters.get(key);
  if (!found) {
    const digits = currency(currencyCode).digits;
    try {
      found = new Intl.NumberFormat(locale, { style: 'currency', currency: currencyCode, minimumFractionDigits: digits, maximumFractionDigits: digits });
    } catch (error) {
      if (error instanceof RangeError) throw new MoneyError('INVALID_AMOUNT', `${JSON.stringify(locale)} is not a locale`);
      throw error;
    }
    formatters.set(key, found);
  }
  return found;
}

/**
 * The amount as a shopper in `locale` reads it: `"¥1,235"`, `"1.234,50 €"`, `"د.ك.‏ ١٬٢٣٤٫٥٦٧"`.
 * The decimal string is formatted as a string, so amounts beyond 2^53 keep every digit.
 */
export function formatMoney(value: Money, locale: string): string {
  // Intl.NumberFormat formats decimal strings exactly (ECMA-402 "Intl.NumberFormat v3"); the cast is
  // for TypeScript's lib, which still declares number | bigint only.
  return formatter(locale, value.currency).format(toDecimal(value) as unknown as number);
}

interface Symbols {
  /** How the currency is written (it may hold a dot, as `د.ك.` does). */
  currencySign: string;
  decimal: string;
  minus: string[];
  digits: Map<string, string>;
}

const symbols = new LRUCache<string, Symbols>({ max: 1_000 });

function symbolsOf(locale: string, currencyCode: string): Symbols {
  const key = `${locale}\u0000${currencyCode}`;
  let found = symbols.get(key);
  if (!found) {
    const format = formatter(locale, currencyCode);
    const parts = format.formatToParts(-1234);
    // With a fraction digit forced, so that currencies without minor units (JPY, VND) show it too.
    const fractional = new Intl.NumberFormat(locale, { style: 'currency', currency: currencyCode, minimumFractionDigits: 1 }).formatToParts(-1.5);
    const digits = new Map<string, string>();
    for (let digit = 0; digit <= 9; digit++) {
      const localized = format.formatToParts(digit).find((part) => part.type === 'integer')?.value;
      if (localized) digits.set(localized, String(digit));
    }
    found = {
      currencySign: parts.find((part) => part.type === 'currency')?.value ?? currencyCode,
      decimal: fractional.find((part) => part.type === 'decimal')?.value ?? '.',
      minus: [parts.find((part) => part.type === 'minusSign')?.value ?? '-', '-', '\u2212'],
      digits,
    };
    symbols.set(key, found);
  }
  return found;
}

/**
 * Reads an amount back from what `formatMoney` wrote for the same locale and currency (digits of
 * any numbering system, the locale's separators, currency signs and spacing). Exact: no floats.
 */
export function parseFormattedMoney(text: string, locale: string, currencyCode: string): Money {
  const { currencySign, decimal, minus, digits } = symbolsOf(locale, currencyCode);
  let negative = false;
  let normalized = '';
  for (const character of text.replaceAll(currencySign, ' ')) {
    const digit = digits.get(character) ?? (/[0-9]/.test(character) ? character : undefined);
    if (digit !== undefined) normalized += digit;
    else if (character === decimal && decimal !== '') normalized += '.';
    else if (minus.includes(character)) negative = true;
  }
  return parseMoney(`${negative ? '-' : ''}${normalized}`, currencyCode);
}
