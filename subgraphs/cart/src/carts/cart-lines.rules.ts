/** What one cart line may hold: at least one unit, at most 99 (a shop, not a wholesaler). */
export const MIN_LINE_QUANTITY = 1;
export const MAX_LINE_QUANTITY = 99;

/** A cart holds at most this many lines: the catalog answers the prices of at most 100 variants in one call (`nodes`). */
export const MAX_CART_LINES = 100;

export function isValidLineQuantity(quantity: number): boolean {
  return Number.isInteger(quantity) && quantity >= MIN_LINE_QUANTITY && quantity <= MAX_LINE_QUANTITY;
}
