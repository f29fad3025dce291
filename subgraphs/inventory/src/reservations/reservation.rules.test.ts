import { describe, expect, it } from 'vitest';
import { allocate, effectiveStatus, readReserveRequest, type LockedLevel } from './reservation.rules.js';

const a = '0190f5c8-7d1e-7000-8000-000000000a04';
const b = '0190f5c8-7d1e-7000-8000-000000000b04';
const level = (variantId: string, locationCode: string, onHand: number, reserved = 0): LockedLevel => ({ variantId, locationId: `loc-${locationCode}`, locationCode, onHand, reserved });

describe('reserve requests', () => {
  it('adds up lines of one variant and orders lines by variant id (the lock order)', () => {
    expect(readReserveRequest([{ variantId: b, quantity: 1 }, { variantId: a.toUpperCase(), quantity: 2 }, { variantId: b, quantity: 3 }], null, 900)).toEqual({
      ok: true,
      value: { lines: [{ variantId: a, quantity: 2 }, { variantId: b, quantity: 4 }], ttlSeconds: 900 },
    });
  });

  it('refuses empty requests, bad quantities, bad ids and out-of-range ttl, naming each field', () => {
    expect(readReserveRequest([], 60, 900)).toMatchObject({ ok: false, violations: [{ field: 'lines', code: 'REQUIRED' }] });
    const checked = readReserveRequest([{ variantId: 'nope', quantity: 0 }], 5, 900);
    expect(checked.ok ? [] : checked.violations.map((violation) => `${violation.field}:${violation.code}`)).toEqual([
      'lines.0.variantId:INVALID_FORMAT',
      'lines.0.quantity:OUT_OF_RANGE',
      'ttl:OUT_OF_RANGE',
    ]);
  });
});

describe('allocation', () => {
  it('takes a line from the first location (by code) that has all of it', () => {
    expect(allocate([{ variantId: a, quantity: 3 }], [level(a, 'b-store', 5), level(a, 'a-store', 2)])).toEqual({
      ok: true,
      allocations: [{ variantId: a, locationId: 'loc-b-store', quantity: 3 }],
    });
  });

  it('splits a line over locations in code order when none has all of it', () => {
    expect(allocate([{ variantId: a, quantity: 6 }], [level(a, 'b-store', 5, 1), level(a, 'a-store', 3, 0)])).toEqual({
      ok: true,
      allocations: [
        { variantId: a, locationId: 'loc-a-store', quantity: 3 },
        { variantId: a, locationId: 'loc-b-store', quantity: 3 },
      ],
    });
  });

  it('reserves nothing when any line is short, and names every short line with what is available', () => {
    expect(allocate([{ variantId: a, quantity: 1 }, { variantId: b, quantity: 3 }], [level(a, 'x', 1), level(b, 'x', 4, 2)])).toEqual({
      ok: false,
      shortages: [{ variantId: b, requested: 3, available: 2 }],
    });
    expect(allocate([{ variantId: a, quantity: 1 }], [])).toEqual({ ok: false, shortages: [{ variantId: a, requested: 1, available: 0 }] });
  });
});

describe('status', () => {
  it('is expired as soon as the time is up, before the release job has run', () => {
    const now = new Date('2026-11-30T12:00:00Z');
    expect(effectiveStatus('active', new Date('2026-11-30T12:00:01Z'), now)).toBe('ACTIVE');
    expect(effectiveStatus('active', now, now)).toBe('EXPIRED');
    expect(effectiveStatus('committed', new Date(0), now)).toBe('COMMITTED');
  });
});
