import { describe, expect, it } from 'vitest';
import { checkMessage, formatMessage, isMessageName } from './message.rules.js';

describe('ICU messages', () => {
  it('formats plurals and selects per locale', () => {
    const items = '{count, plural, =0 {no items} one {# item} other {# items}}';
    expect(formatMessage(items, 'en', { count: 1 })).toBe('1 item');
    expect(formatMessage(items, 'en', { count: 1234 })).toBe('1,234 items');
    expect(formatMessage(items, 'de', { count: 1234 })).toBe('1.234 items');
    expect(formatMessage('{n, plural, one {# produit} other {# produits}}', 'fr', { n: 1.5 })).toBe('1,5 produit');
  });

  it('accepts valid messages and explains invalid ones', () => {
    expect(checkMessage('Hello {name}', 'en')).toEqual({ ok: true });
    expect(checkMessage('Hello {name', 'en')).toMatchObject({ ok: false });
    expect(checkMessage('{n, plural, one {x}}', 'en')).toMatchObject({ ok: false });
  });

  it('allows simple namespace and key names only', () => {
    expect(isMessageName('cart.empty_title')).toBe(true);
    for (const bad of ['', '1abc', 'a b', 'x'.repeat(101), 'a/b']) expect(isMessageName(bad), bad).toBe(false);
  });
});
