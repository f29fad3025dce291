export type MoneyErrorCode =
  | 'UNKNOWN_CURRENCY'
  | 'INVALID_AMOUNT'
  | 'TOO_MANY_DECIMALS'
  | 'CURRENCY_MISMATCH'
  | 'INVALID_RATE'
  | 'INVALID_RATIOS'
  | 'INVALID_QUANTITY';

/** A programming or input error in money arithmetic: the operation is refused, never guessed. */
export class MoneyError extends Error {
  override name = 'MoneyError';
  constructor(
    readonly code: MoneyErrorCode,
    message: string,
  ) {
    super(message);
  }
}
