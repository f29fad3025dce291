import { isUuid, type FieldViolation, type Validated } from '@meridian/platform';

export const MAX_LINES = 100;
export const MAX_LINE_QUANTITY = 1_000;
export const MIN_TTL_SECONDS = 10;
export const MAX_TTL_SECONDS = 86_400;

export interface RequestedLine {
  variantId: string;
  quantity: number;
}

export interface ReserveRequest {
  /** One line per variant, in variant id order: the order every transaction locks levels in. */
  lines: RequestedLine[];
  ttlSeconds: number;
}

/** Checks a `reserve` call and adds up lines of the same variant. */
export function readReserveRequest(lines: readonly RequestedLine[], ttl: number | null | undefined, defaultTtlSeconds: number): Validated<ReserveRequest> {
  const violations: FieldViolation[] = [];
  if (lines.length === 0) violations.push({ field: 'lines', code: 'REQUIRED', message: 'Reserve at least one line.' });
  if (lines.length > MAX_LINES) violations.push({ field: 'lines', code: 'TOO_LONG', message: `At most ${MAX_LINES} lines at a time.` });
  const merged = new Map<string, number>();
  lines.forEach((line, index) => {
    if (!isUuid(line.variantId)) violations.push({ field: `lines.${index}.variantId`, code: 'INVALID_FORMAT', message: 'variantId is not an id.' });
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_LINE_QUANTITY) {
      violations.push({ field: `lines.${index}.quantity`, code: 'OUT_OF_RANGE', message: `quantity must be a whole number from 1 to ${MAX_LINE_QUANTITY}.` });
    }
    const id = line.variantId.toLowerCase();
    merged.set(id, (merged.get(id) ?? 0) + line.quantity);
  });
  for (const [variantId, quantity] of merged) {
    if (quantity > MAX_LINE_QUANTITY) violations.push({ field: 'lines', code: 'OUT_OF_RANGE', message: `At most ${MAX_LINE_QUANTITY} units of ${variantId} at a time.` });
  }
  const ttlSeconds = ttl ?? defaultTtlSeconds;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < MIN_TTL_SECONDS || ttlSeconds > MAX_TTL_SECONDS) {
    violations.push({ field: 'ttl', code: 'OUT_OF_RANGE', message: `ttl must be from ${MIN_TTL_SECONDS} to ${MAX_TTL_SECONDS} seconds.` });
  }
  if (violations.length > 0) return { ok: false, violations };
  const sorted = [...merged].map(([variantId, quantity]) => ({ variantId, quantity })).sort((a, b) => (a.variantId < b.variantId ? -1 : 1));
  return { ok: true, value: { lines: sorted, ttlSeconds } };
}

/** A level as the reserving transaction locked it. */
export interface LockedLevel {
  variantId: string;
  locationId: string;
  locationCode: string;
  onHand: number;
  reserved: number;
}

export interface Allocation {
  variantId: string;
  locationId: string;
  quantity: number;
}

export interface Shortage {
  variantId: string;
  requested: number;
  available: number;
}

export type AllocationOutcome = { ok: true; allocations: Allocation[] } | { ok: false; shortages: Shortage[] };

/**
 * Where each line's units are taken from: from one location if one has them all (the first in code
 * order), otherwise from every location in code order until the line is served. All lines or none.
 */
export function allocate(lines: readonly RequestedLine[], levels: readonly LockedLevel[]): AllocationOutcome {
  const allocations: Allocation[] = [];
  const shortages: Shortage[] = [];
  for (const line of lines) {
    const candidates = levels
      .filter((level) => level.variantId === line.variantId && level.onHand - level.reserved > 0)
      .sort((a, b) => (a.locationCode < b.locationCode ? -1 : a.locationCode > b.locationCode ? 1 : 0));
    const available = candidates.reduce((sum, level) => sum + level.onHand - level.reserved, 0);
    if (available < line.quantity) {
      shortages.push({ variantId: line.variantId, requested: line.quantity, available });
      continue;
    }
    const whole = candidates.find((level) => level.onHand - level.reserved >= line.quantity);
    if (whole) {
      allocations.push({ variantId: line.variantId, locationId: whole.locationId, quantity: line.quantity });
      continue;
    }
    let missing = line.quantity;
    for (const level of candidates) {
      const taken = Math.min(missing, level.onHand - level.reserved);
      allocations.push({ variantId: line.variantId, locationId: level.locationId, quantity: taken });
      missing -= taken;
      if (missing === 0) break;
    }
  }
  return shortages.length > 0 ? { ok: false, shortages } : { ok: true, allocations };
}

export type StoredStatus = 'active' | 'released' | 'committed' | 'expired';
export type ReservationStatus = 'ACTIVE' | 'RELEASED' | 'COMMITTED' | 'EXPIRED';

/** An active reservation whose time is up is expired, whether or not the release job has run. */
export function effectiveStatus(status: string, expiresAt: Date, now: Date): ReservationStatus {
  if (status === 'active') return expiresAt.getTime() <= now.getTime() ? 'EXPIRED' : 'ACTIVE';
  return status.toUpperCase() as ReservationStatus;
}
