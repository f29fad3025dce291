import { MoneyError, money, parseMoney, type Money } from '@meridian/money';
import type { FieldViolation, Validated } from '@meridian/platform';
import type { DiscountTerms } from '../pricing/cart-totals.rules.js';

export type DiscountRejection = 'NOT_YET_ACTIVE' | 'EXPIRED' | 'USAGE_LIMIT_REACHED' | 'CURRENCY_MISMATCH';

/** What decides whether a discount code applies, as stored. */
export interface DiscountCodeTerms {
  kind: 'percentage' | 'fixed';
  percentage: string | null;
  amountMinor: bigint | null;
  currency: string | null;
  startsAt: Date;
  endsAt: Date | null;
  usageLimit: number | null;
  timesUsed: number;
}

export interface NewDiscountCode {
  code: string;
  kind: 'percentage' | 'fixed';
  percentage: string | null;
  amountMinor: bigint | null;
  currency: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  usageLimit: number | null;
}

const CODE = /^[A-Z0-9_-]{3,32}$/;
const PERCENTAGE = /^(?:100(?:\.0{1,2})?|\d{1,2}(?:\.\d{1,2})?)$/;

/** A code as typed, in the form it is stored in (trimmed, upper case), or null when it cannot be one. */
export function normalizeDiscountCode(raw: string): string | null {
  const code = raw.trim().toUpperCase();
  return CODE.test(code) ? code : null;
}

/** Why the code does not apply to a cart in `currency` at `now`, or null when it does. */
export function discountRejection(terms: DiscountCodeTerms, currency: string, now: Date): DiscountRejection | null {
  if (now < terms.startsAt) return 'NOT_YET_ACTIVE';
  if (terms.endsAt !== null && now >= terms.endsAt) return 'EXPIRED';
  if (terms.usageLimit !== null && terms.timesUsed >= terms.usageLimit) return 'USAGE_LIMIT_REACHED';
  if (terms.kind === 'fixed' && terms.currency !== currency) return 'CURRENCY_MISMATCH';
  return null;
}

/** The code's terms for the totals (cart-totals.rules.ts). */
export function discountTerms(terms: Pick<DiscountCodeTerms, 'kind' | 'percentage' | 'amountMinor' | 'currency'>): DiscountTerms {
  return terms.kind === 'percentage' ? { kind: 'percentage', percentage: terms.percentage! } : { kind: 'fixed', amount: money(terms.amountMinor!, terms.currency!) };
}

/** The fixed amount off, for display; null for a percentage. */
export function fixedAmountOf(terms: Pick<DiscountCodeTerms, 'amountMinor' | 'currency'>): Money | null {
  return terms.amountMinor === null || terms.currency === null ? null : money(terms.amountMinor, terms.currency);
}

/** A percentage as it reads best: `10.00` → `10`, `12.50` → `12.5`. */
export function displayPercentage(value: string): string {
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
}

export function readDiscountCodeInput(input: {
  code: string;
  percentage?: string | null;
  amount?: string | null;
  currency?: string | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  usageLimit?: number | null;
}): Validated<NewDiscountCode> {
  const violations: FieldViolation[] = [];
  const code = normalizeDiscountCode(input.code);
  if (code === null) violations.push({ field: 'code', code: 'INVALID_FORMAT', message: 'code must be 3 to 32 letters, digits, - or _.' });

  let kind: 'percentage' | 'fixed' = 'percentage';
  let percentage: string | null = null;
  let amountMinor: bigint | null = null;
  let currency: string | null = null;
  const hasPercentage = input.percentage != null;
  const hasAmount = input.amount != null || input.currency != null;
  if (hasPercentage === hasAmount) {
    violations.push({ field: 'percentage', code: 'REQUIRED', message: 'Give either percentage, or amount with currency.' });
  } else if (hasPercentage) {
    const text = input.percentage!.trim();
    if (!PERCENTAGE.test(text) || Number(text) <= 0) violations.push({ field: 'percentage', code: 'OUT_OF_RANGE', message: 'percentage must be above 0 and at most 100, with at most two decimals.' });
    else percentage = text;
  } else {
    kind = 'fixed';
    if (input.currency == null) violations.push({ field: 'currency', code: 'REQUIRED', message: 'currency is required with amount.' });
    if (input.amount == null) violations.push({ field: 'amount', code: 'REQUIRED', message: 'amount is required with currency.' });
    if (input.currency != null && input.amount != null) {
      try {
        const parsed = parseMoney(input.amount.trim(), input.currency);
        if (parsed.minorUnits <= 0n) violations.push({ field: 'amount', code: 'OUT_OF_RANGE', message: 'amount must be above 0.' });
        else [amountMinor, currency] = [parsed.minorUnits, parsed.currency];
      } catch (error) {
        if (!(error instanceof MoneyError)) throw error;
        violations.push({ field: 'amount', code: 'INVALID_FORMAT', message: `amount must be a decimal number with at most the decimal places of ${input.currency}, e.g. 5.00.` });
      }
    }
  }
  const startsAt = input.startsAt ?? null;
  const endsAt = input.endsAt ?? null;
  if (endsAt !== null && endsAt <= (startsAt ?? new Date())) violations.push({ field: 'endsAt', code: 'OUT_OF_RANGE', message: 'endsAt must be after startsAt (or after now).' });
  const usageLimit = input.usageLimit ?? null;
  if (usageLimit !== null && (!Number.isInteger(usageLimit) || usageLimit < 1)) violations.push({ field: 'usageLimit', code: 'OUT_OF_RANGE', message: 'usageLimit must be at least 1.' });

  if (violations.length > 0) return { ok: false, violations };
  return { ok: true, value: { code: code!, kind, percentage, amountMinor, currency, startsAt, endsAt, usageLimit } };
}
