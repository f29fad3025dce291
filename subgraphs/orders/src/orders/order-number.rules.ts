/** An order number people can read out and type: `M-2026-000123`, the 123rd order of 2026 (UTC). */
export function orderNumber(year: number, sequence: number): string {
  if (!Number.isInteger(year) || year < 2000 || year > 9999) throw new RangeError(`year out of range: ${year}`);
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`sequence out of range: ${sequence}`);
  // Six digits, more when a year has more orders: the number stays unique and sorts within its width.
  return `M-${year}-${String(sequence).padStart(6, '0')}`;
}

const ORDER_NUMBER = /^M-(\d{4})-(\d{6,})$/;

/** The year and sequence of an order number, or null when the text is not one (a search box, a support call). */
export function parseOrderNumber(text: string): { year: number; sequence: number } | null {
  const match = ORDER_NUMBER.exec(text.trim().toUpperCase());
  return match ? { year: Number(match[1]), sequence: Number(match[2]) } : null;
}
