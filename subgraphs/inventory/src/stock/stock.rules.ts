import { isUuid, readText, type FieldViolation, type Validated } from '@meridian/platform';

/** What a ledger entry records; each kind moves `on_hand` and `reserved` in one fixed way. */
export type MovementKind = 'received' | 'adjusted' | 'reserved' | 'released' | 'shipped';

export interface LevelDelta {
  onHand: number;
  reserved: number;
}

/** The effect of a movement of `quantity` units (signed for `adjusted`) on a level. */
export function movementDelta(kind: MovementKind, quantity: number): LevelDelta {
  switch (kind) {
    case 'received':
    case 'adjusted':
      return { onHand: quantity, reserved: 0 };
    case 'reserved':
      return { onHand: 0, reserved: quantity };
    case 'released':
      return { onHand: 0, reserved: -quantity };
    case 'shipped':
      return { onHand: -quantity, reserved: -quantity };
  }
}

export interface LevelQuantities {
  onHand: number;
  reserved: number;
}

/** Whether a level is one the database accepts (its CHECK constraint): never more reserved than on hand. */
export function isConsistentLevel(level: LevelQuantities): boolean {
  return level.onHand >= 0 && level.reserved >= 0 && level.reserved <= level.onHand;
}

/** Units that can still be reserved. */
export const availableOf = (level: LevelQuantities): number => level.onHand - level.reserved;

export interface Availability {
  inStock: boolean;
  lowStock: boolean;
  quantityAvailable: number | null;
}

/**
 * What a caller may see of the units available of a variant: whether there are any and whether they
 * are few; the exact number only when `revealQuantity` (admins), since competitors and scalpers read
 * exact stock figures too.
 */
export function toAvailability(available: number, options: { lowStockThreshold: number; revealQuantity: boolean }): Availability {
  const units = Math.max(available, 0);
  return {
    inStock: units > 0,
    lowStock: units > 0 && units <= options.lowStockThreshold,
    quantityAvailable: options.revealQuantity ? units : null,
  };
}

export const MAX_RECEIVED = 1_000_000;
export const NOTE_MAX_LENGTH = 200;
const LOCATION_CODE = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

function readId(violations: FieldViolation[], field: string, value: string): string {
  if (!isUuid(value)) violations.push({ field, code: 'INVALID_FORMAT', message: `${field} is not an id.` });
  return value.toLowerCase();
}

function readWhole(violations: FieldViolation[], field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    violations.push({ field, code: 'OUT_OF_RANGE', message: `${field} must be a whole number from ${min} to ${max}.` });
  }
  return value;
}

export interface LocationInput {
  code: string;
  name: string;
}

export function readLocationInput(input: { code: string; name: string }): Validated<LocationInput> {
  const violations: FieldViolation[] = [];
  const code = input.code.trim();
  if (!LOCATION_CODE.test(code)) {
    violations.push({ field: 'code', code: 'INVALID_FORMAT', message: 'code must be 1 to 40 lower-case letters, digits and "-", starting and ending with a letter or digit.' });
  }
  const name = readText(violations, 'name', input.name, { maxLength: 100, required: true });
  return violations.length > 0 ? { ok: false, violations } : { ok: true, value: { code, name: name! } };
}

export interface StockChange {
  variantId: string;
  locationId: string;
  /** Signed: units added to `on_hand`. */
  quantity: number;
  note: string | null;
}

export function readReceiveInput(input: { variantId: string; locationId: string; quantity: number; note?: string | null }): Validated<StockChange> {
  const violations: FieldViolation[] = [];
  const variantId = readId(violations, 'variantId', input.variantId);
  const locationId = readId(violations, 'locationId', input.locationId);
  const quantity = readWhole(violations, 'quantity', input.quantity, 1, MAX_RECEIVED);
  const note = readText(violations, 'note', input.note, { maxLength: NOTE_MAX_LENGTH });
  return violations.length > 0 ? { ok: false, violations } : { ok: true, value: { variantId, locationId, quantity, note } };
}

export function readAdjustInput(input: { variantId: string; locationId: string; change: number; note?: string | null }): Validated<StockChange> {
  const violations: FieldViolation[] = [];
  const variantId = readId(violations, 'variantId', input.variantId);
  const locationId = readId(violations, 'locationId', input.locationId);
  const quantity = readWhole(violations, 'change', input.change, -MAX_RECEIVED, MAX_RECEIVED);
  if (input.change === 0) violations.push({ field: 'change', code: 'OUT_OF_RANGE', message: 'change must not be 0.' });
  const note = readText(violations, 'note', input.note, { maxLength: NOTE_MAX_LENGTH });
  return violations.length > 0 ? { ok: false, violations } : { ok: true, value: { variantId, locationId, quantity, note } };
}

/** The violation of an adjustment that would leave fewer units on hand than are reserved (or fewer than none). */
export function adjustmentBelowReserved(level: LevelQuantities): FieldViolation {
  return {
    field: 'change',
    code: 'OUT_OF_RANGE',
    message: `The location has ${level.onHand} on hand, ${level.reserved} of them reserved: it cannot remove more than ${availableOf(level)}.`,
  };
}
