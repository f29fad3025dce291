import {
  add as addDinero,
  calculator,
  allocate as allocateDinero,
  compare as compareDinero,
  convert as convertDinero,
  dinero,
  down,
  halfAwayFromZero,
  halfDown,
  halfEven,
  halfTowardsZero,
  halfUp,
  multiply as multiplyDinero,
  subtract as subtractDinero,
  toDecimal as toDecimalDinero,
  toSnapshot,
  transformScale,
  up,
  type Dinero,
  type DineroCurrency,
  type DineroDivideOperation,
} from 'dinero.js/bigint';

/** A decimal as an unscaled integer and its number of decimal places: `19.60` is `{ amount: 1960n, scale: 2n }`. */
export interface ScaledDecimal {
  amount: bigint;
  scale: bigint;
}
import { currency } from './currencies.js';
import { MoneyError } from './money.errors.js';

/** An amount of money: an integer number of the currency's minor units (cents, fils, yen). Never a float. */
export interface Money {
  readonly minorUnits: bigint;
  /** ISO 4217 code with minor units, e.g. `KWD`. */
  readonly currency: string;
}

/** How a result that falls between two minor units is rounded. Half-even (banker's rounding) unless said otherwise. */
export type RoundingMode = 'halfEven' | 'halfUp' | 'halfDown' | 'halfAwayFromZero' | 'halfTowardsZero' | 'up' | 'down';

const ROUNDING: Record<RoundingMode, DineroDivideOperation> = {
  halfEven,
  halfUp,
  halfDown,
  halfAwayFromZero,
  halfTowardsZero,
  up,
  down,
};

const dineroCurrencies = new Map<string, DineroCurrency<bigint>>();

function dineroCurrency(code: string): DineroCurrency<bigint> {
  let found = dineroCurrencies.get(code);
  if (!found) {
    found = { code, base: 10n, exponent: BigInt(currency(code).digits) };
    dineroCurrencies.set(code, found);
  }
  return found;
}

function toDinero(value: Money): Dinero<bigint> {
  return dinero({ amount: value.minorUnits, currency: dineroCurrency(value.currency) });
}

/** Back to minor units of the currency, rounding any extra precision an operation produced. */
function fromDinero(value: Dinero<bigint>, rounding: RoundingMode = 'halfEven'): Money {
  const { currency: target } = toSnapshot(value);
  const { amount } = toSnapshot(transformScale(value, target.exponent, ROUNDING[rounding]));
  return { minorUnits: amount, currency: target.code };
}

export function money(minorUnits: bigint, currencyCode: string): Money {
  currency(currencyCode);
  return { minorUnits, currency: currencyCode };
}

export function zero(currencyCode: string): Money {
  return money(0n, currencyCode);
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** A decimal string as an unscaled integer and a scale: `"19.60"` → 1960n, 2. Trailing zeros are kept. */
export function parseDecimal(text: string, what = 'amount'): ScaledDecimal {
  const match = DECIMAL.exec(text);
  if (!match) throw new MoneyError(what === 'rate' ? 'INVALID_RATE' : 'INVALID_AMOUNT', `${JSON.stringify(text)} is not a decimal number such as 12.50`);
  const [, sign, whole, fraction = ''] = match;
  const amount = BigInt(`${whole}${fraction}`);
  return { amount: sign ? -amount : amount, scale: BigInt(fraction.length) };
}

/**
 * A decimal string (`"1234.5"`, `"-0.005"`) in a currency. More decimals than the currency has are
 * refused unless a rounding mode is given; trailing zeros beyond them are fine (`"100.500"` EUR).
 */
export function parseMoney(text: string, currencyCode: string, options: { rounding?: RoundingMode } = {}): Money {
  const digits = BigInt(currency(currencyCode).digits);
  const { amount, scale } = parseDecimal(text);
  const parsed = dinero({ amount, currency: dineroCurrency(currencyCode), scale });
  if (scale > digits) {
    const exact = transformScale(parsed, digits, down);
    if (options.rounding === undefined && compareDinero(exact, parsed) !== 0) {
      throw new MoneyError('TOO_MANY_DECIMALS', `${currencyCode} has ${digits} decimal places; ${JSON.stringify(text)} has more`);
    }
  }
  return fromDinero(parsed, options.rounding);
}

/** The amount as a plain decimal string with exactly the currency's decimal places: `"100.50"`, `"1000"` (JPY), `"-0.125"` (KWD). */
export function toDecimal(value: Money): string {
  return toDecimalDinero(toDinero(value));
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new MoneyError('CURRENCY_MISMATCH', `cannot combine ${a.currency} with ${b.currency}`);
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return fromDinero(addDinero(toDinero(a), toDinero(b)));
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return fromDinero(subtractDinero(toDinero(a), toDinero(b)));
}

export function sum(values: readonly Money[], currencyCode: string): Money {
  return values.reduce(add, zero(currencyCode));
}

export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return compareDinero(toDinero(a), toDinero(b));
}

export function isZero(value: Money): boolean {
  return value.minorUnits === 0n;
}

export function isNegative(value: Money): boolean {
  return value.minorUnits < 0n;
}

function integer(quantity: bigint | number, what: string): bigint {
  if (typeof quantity === 'number' && !Number.isSafeInteger(quantity)) {
    throw new MoneyError('INVALID_QUANTITY', `${what} must be a whole number, got ${quantity}`);
  }
  return BigInt(quantity);
}

/** A unit price times a whole quantity. */
export function multiply(value: Money, quantity: bigint | number): Money {
  return fromDinero(multiplyDinero(toDinero(value), integer(quantity, 'a quantity')));
}

/** `percent` per cent of the amount (tax, discount), e.g. `"19"` or `"7.7"`, rounded to a minor unit. */
export function percentage(value: Money, percent: string, rounding: RoundingMode = 'halfEven'): Money {
  const { amount, scale } = parseDecimal(percent, 'percentage');
  return fromDinero(multiplyDinero(toDinero(value), { amount, scale: scale + 2n }), rounding);
}

/**
 * The amount times `numerator / denominator` (whole numbers, the denominator positive), rounded to a minor
 * unit: a share no percentage can name exactly, such as the tax inside a tax-inclusive price,
 * `gross × 19 / 119` at 19 %.
 */
export function fraction(value: Money, numerator: bigint | number, denominator: bigint | number, rounding: RoundingMode = 'halfEven'): Money {
  const top = integer(numerator, 'a numerator');
  const bottom = integer(denominator, 'a denominator');
  if (bottom <= 0n) throw new MoneyError('INVALID_RATIOS', `a denominator must be positive, got ${bottom}`);
  return { minorUnits: ROUNDING[rounding](value.minorUnits * top, bottom, calculator), currency: value.currency };
}

/**
 * Splits a total in proportion to `ratios` (whole numbers, or decimal strings such as `"0.5"`)
 * without losing or inventing a minor unit: the parts always sum to the total; leftover units go
 * to the first parts.
 */
export function allocate(total: Money, ratios: readonly (bigint | number | string)[]): Money[] {
  const scaled = ratios.map((ratio) => (typeof ratio === 'string' ? parseDecimal(ratio, 'ratio') : { amount: integer(ratio, 'a ratio'), scale: 0n }));
  if (scaled.length === 0 || scaled.some((ratio) => ratio.amount < 0n) || scaled.every((ratio) => ratio.amount === 0n)) {
    throw new MoneyError('INVALID_RATIOS', 'ratios must be non-negative and at least one must be positive');
  }
  return allocateDinero(toDinero(total), scaled).map((part) => fromDinero(part));
}

/**
 * Converts at `rate` (units of `to` per unit of the amount's currency, as a decimal string from the
 * rate table) and rounds to `to`'s minor units.
 */
export function convert(value: Money, rate: string, to: string, rounding: RoundingMode = 'halfEven'): Money {
  const scaledRate = parseDecimal(rate, 'rate');
  if (scaledRate.amount <= 0n) throw new MoneyError('INVALID_RATE', `a rate must be positive, got ${rate}`);
  const converted = convertDinero(toDinero(value), dineroCurrency(to), { [to]: scaledRate });
  return fromDinero(converted, rounding);
}
