import { describe, expect, it } from 'vitest';
import type { FieldViolation } from '@meridian/platform';
import { MAX_NAME, readNames, unsoldCurrency } from './admin.rules.js';

function names(inputs: { locale: string; value: string }[]) {
  const violations: FieldViolation[] = [];
  return { names: readNames(inputs, 'names', violations), violations };
}

describe('names per locale', () => {
  it('keeps trimmed names under canonical tags, the last one for a locale given twice', () => {
    expect(names([{ locale: 'en', value: ' Size ' }, { locale: 'de-at', value: 'Größe' }, { locale: 'en', value: 'Fit' }])).toEqual({
      names: { en: 'Fit', 'de-AT': 'Größe' },
      violations: [],
    });
  });

  it('requires at least one name, each non-blank and at most 200 characters', () => {
    expect(names([]).violations).toEqual([{ field: 'names', code: 'REQUIRED', message: 'At least one name' }]);
    expect(names([{ locale: 'en', value: '   ' }]).violations).toEqual([{ field: 'names.0.value', code: 'REQUIRED', message: 'A name is required' }]);
    expect(names([{ locale: 'en', value: 'x'.repeat(MAX_NAME) }]).violations).toEqual([]);
    expect(names([{ locale: 'en', value: 'x'.repeat(MAX_NAME + 1) }]).violations).toEqual([{ field: 'names.0.value', code: 'TOO_LONG', message: 'At most 200 characters' }]);
  });

  it('refuses a tag that is no BCP 47 language tag, naming its index', () => {
    const read = names([{ locale: 'en', value: 'Size' }, { locale: 'not a tag', value: 'Größe' }]);
    expect(read.violations).toEqual([{ field: 'names.1.locale', code: 'INVALID_LOCALE', message: 'Not a BCP 47 language tag' }]);
    expect(read.names).toEqual({ en: 'Size' });
  });
});

describe('currencies the shop sells in', () => {
  it('names the first currency the shop does not sell in', () => {
    expect(unsoldCurrency(['EUR', 'USD', 'JPY'], ['EUR', 'GBP'])).toBe('USD');
    expect(unsoldCurrency(['EUR', 'GBP'], ['EUR', 'GBP'])).toBeNull();
    expect(unsoldCurrency([], [])).toBeNull();
  });
});
