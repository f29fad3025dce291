import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import currencyCodes from 'currency-codes';
import { MoneyError } from './money.errors.js';

export interface Currency {
  /** ISO 4217 alphabetic code, e.g. `JPY`. */
  code: string;
  /** ISO 4217 minor units: digits after the decimal separator (JPY 0, EUR 2, KWD 3, CLF 4). */
  digits: number;
  /** ISO 4217 English name, e.g. `Yen`. */
  name: string;
}

const require = createRequire(import.meta.url);

/**
 * Codes whose ISO 4217 minor units are "N.A." (gold, SDR, testing, "no currency"): units of account,
 * not money a shop can sell in. `currency-codes` gives them 0 digits like the yen, so they are told
 * apart from the ISO list-one file the package ships.
 */
function codesWithoutMinorUnits(): Set<string> {
  const list = readFileSync(require.resolve('currency-codes/iso-4217-list-one.xml'), 'utf8');
  const codes = new Set<string>();
  for (const entry of list.matchAll(/<Ccy>([A-Z]{3})<\/Ccy>(?:\s*<CcyNbr>\d+<\/CcyNbr>)?\s*<CcyMnrUnts>N\.A\.<\/CcyMnrUnts>/g)) {
    codes.add(entry[1]!);
  }
  // Fail closed: an unreadable list would silently make gold a currency.
  if (!codes.has('XAU')) throw new Error('the ISO 4217 list shipped with currency-codes could not be read');
  return codes;
}

const notMoney = codesWithoutMinorUnits();

/** Every ISO 4217 currency with minor units, by code, from the maintained `currency-codes` data. */
export const CURRENCIES: ReadonlyMap<string, Currency> = new Map(
  currencyCodes.data
    .filter((record) => !notMoney.has(record.code))
    .map((record) => [record.code, { code: record.code, digits: record.digits, name: record.currency }]),
);

/** The ISO 4217 publication the data follows, e.g. `2024-06-25`. */
export const CURRENCY_DATA_DATE: string = currencyCodes.publishDate;

export function isCurrencyCode(code: string): boolean {
  return CURRENCIES.has(code);
}

export function currency(code: string): Currency {
  const found = CURRENCIES.get(code);
  if (!found) throw new MoneyError('UNKNOWN_CURRENCY', `${JSON.stringify(code)} is not an ISO 4217 currency with minor units`);
  return found;
}
