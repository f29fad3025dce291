export { CURRENCIES, CURRENCY_DATA_DATE, currency, isCurrencyCode, type Currency } from './currencies.js';
export { formatMoney, parseFormattedMoney } from './format.js';
export { MoneyError, type MoneyErrorCode } from './money.errors.js';
export {
  add,
  allocate,
  compare,
  convert,
  fraction,
  isNegative,
  isZero,
  money,
  multiply,
  parseDecimal,
  parseMoney,
  percentage,
  subtract,
  sum,
  toDecimal,
  zero,
  type Money,
  type RoundingMode,
  type ScaledDecimal,
} from './money.js';
