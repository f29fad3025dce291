import { describe, expect, it } from 'vitest';
import { demoQuantities } from './demo-inventory.js';

describe('demo stock', () => {
  it('is the same on every run, with sold-out, low and well-stocked variants', () => {
    const quantities = Array.from({ length: 200 }, (_, index) => demoQuantities(index));
    expect(quantities).toEqual(Array.from({ length: 200 }, (_, index) => demoQuantities(index)));
    const totals = quantities.map(([central, store]) => central + store);
    expect(totals.filter((total) => total === 0)).toHaveLength(20);
    expect(totals.filter((total) => total > 0 && total <= 5).length).toBeGreaterThanOrEqual(20);
    expect(totals.filter((total) => total >= 10).length).toBeGreaterThan(120);
    expect(quantities.every(([central, store]) => central >= 0 && store >= 0)).toBe(true);
  });
});
