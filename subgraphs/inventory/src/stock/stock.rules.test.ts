import { describe, expect, it } from 'vitest';
import { isConsistentLevel, movementDelta, readAdjustInput, readLocationInput, readReceiveInput, toAvailability, type MovementKind } from './stock.rules.js';

const variantId = '0190f5c8-7d1e-7000-8000-000000000004';
const locationId = '0190f5c8-7d1e-7000-8000-0000000000aa';

describe('movements', () => {
  it('move on hand and reserved in one fixed way per kind', () => {
    expect(movementDelta('received', 5)).toEqual({ onHand: 5, reserved: 0 });
    expect(movementDelta('adjusted', -2)).toEqual({ onHand: -2, reserved: 0 });
    expect(movementDelta('reserved', 3)).toEqual({ onHand: 0, reserved: 3 });
    expect(movementDelta('released', 3)).toEqual({ onHand: 0, reserved: -3 });
    expect(movementDelta('shipped', 3)).toEqual({ onHand: -3, reserved: -3 });
  });

  it('rebuild a level by adding up, and a reservation that is committed leaves it consistent', () => {
    const ledger: [MovementKind, number][] = [['received', 10], ['reserved', 4], ['released', 1], ['shipped', 3], ['adjusted', -2]];
    const level = ledger.map(([kind, quantity]) => movementDelta(kind, quantity)).reduce((sum, delta) => ({ onHand: sum.onHand + delta.onHand, reserved: sum.reserved + delta.reserved }));
    expect(level).toEqual({ onHand: 5, reserved: 0 });
    expect(isConsistentLevel(level)).toBe(true);
    expect(isConsistentLevel({ onHand: 1, reserved: 2 })).toBe(false);
  });
});

describe('availability', () => {
  it('tells shoppers in stock and low stock, and only admins the number', () => {
    expect(toAvailability(0, { lowStockThreshold: 5, revealQuantity: false })).toEqual({ inStock: false, lowStock: false, quantityAvailable: null });
    expect(toAvailability(5, { lowStockThreshold: 5, revealQuantity: false })).toEqual({ inStock: true, lowStock: true, quantityAvailable: null });
    expect(toAvailability(6, { lowStockThreshold: 5, revealQuantity: false })).toEqual({ inStock: true, lowStock: false, quantityAvailable: null });
    expect(toAvailability(6, { lowStockThreshold: 5, revealQuantity: true })).toEqual({ inStock: true, lowStock: false, quantityAvailable: 6 });
    expect(toAvailability(1, { lowStockThreshold: 0, revealQuantity: true })).toMatchObject({ lowStock: false });
  });
});

describe('admin input', () => {
  it('accepts short lower-case location codes', () => {
    expect(readLocationInput({ code: ' berlin-1 ', name: ' Berlin  Mitte ' })).toEqual({ ok: true, value: { code: 'berlin-1', name: 'Berlin Mitte' } });
    for (const code of ['', 'Berlin', '-x', 'x-', 'a b', 'x'.repeat(41)]) expect(readLocationInput({ code, name: 'n' }).ok).toBe(false);
  });

  it('receives 1 to a million units with a known variant and location id', () => {
    expect(readReceiveInput({ variantId, locationId, quantity: 3 })).toEqual({ ok: true, value: { variantId, locationId, quantity: 3, note: null } });
    expect(readReceiveInput({ variantId, locationId, quantity: 0 })).toMatchObject({ ok: false, violations: [{ field: 'quantity', code: 'OUT_OF_RANGE' }] });
    expect(readReceiveInput({ variantId: 'x', locationId, quantity: 1 })).toMatchObject({ ok: false, violations: [{ field: 'variantId', code: 'INVALID_FORMAT' }] });
  });

  it('adjusts by a signed change other than 0', () => {
    expect(readAdjustInput({ variantId, locationId, change: -4, note: 'broken' })).toMatchObject({ ok: true, value: { quantity: -4, note: 'broken' } });
    expect(readAdjustInput({ variantId, locationId, change: 0 })).toMatchObject({ ok: false, violations: [{ field: 'change', code: 'OUT_OF_RANGE' }] });
  });
});
