import { describe, expect, it } from 'vitest';
import { orderNumber, parseOrderNumber } from './order-number.rules.js';

describe('order numbers', () => {
  it('read M-<year>-<sequence>, six digits at least', () => {
    expect(orderNumber(2026, 123)).toBe('M-2026-000123');
    expect(orderNumber(2026, 1_234_567)).toBe('M-2026-1234567');
    expect(() => orderNumber(2026, 0)).toThrow(RangeError);
    expect(() => orderNumber(99, 1)).toThrow(RangeError);
  });

  it('parse back, forgiving case and spaces, and refuse anything else', () => {
    expect(parseOrderNumber(' m-2026-000123 ')).toEqual({ year: 2026, sequence: 123 });
    expect(parseOrderNumber('M-2026-123')).toBeNull();
    expect(parseOrderNumber('2026-000123')).toBeNull();
  });
});
