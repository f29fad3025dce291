import type { Money } from '@meridian/money';
import type { ExchangeRateRow } from '@meridian/db/localization';

/** A stored NUMERIC without its padding zeros: `138.050000000000000000` → `138.05`, `1.000` → `1`. */
export function trimDecimal(value: string): string {
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
}

/** The `Conversion` result: money values and the stored rate row. */
export interface Conversion {
  __typename?: 'Conversion';
  original: Money;
  converted: Money;
  rate: ExchangeRateRow | null;
}

/** The `Conversions` result of `convertAll`. */
export interface Conversions {
  __typename?: 'Conversions';
  items: Conversion[];
  rate: ExchangeRateRow | null;
}

/** The `Allocation` result of `allocate`. */
export interface Allocation {
  __typename?: 'Allocation';
  parts: Money[];
}
