import { describe, expect, it } from 'vitest';
import { normalizeEmail } from './email.rules.js';

describe('normalizeEmail', () => {
  it('trims, lower-cases and NFKC-normalizes', () => {
    expect(normalizeEmail('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
    // Fullwidth letters and the fullwidth @ fold to their ASCII forms under NFKC.
    expect(normalizeEmail('ＡＤＡ＠example.com')).toBe('ada@example.com');
  });

  it('maps case and compatibility variants to the same address', () => {
    const variants = ['ADA@EXAMPLE.COM', 'ada@example.com', ' Ada@Example.com', 'ａｄａ@example.com'];
    expect(new Set(variants.map(normalizeEmail))).toEqual(new Set(['ada@example.com']));
  });

  it('keeps Unicode local parts and domains', () => {
    expect(normalizeEmail('Zoë@Bücher.de')).toBe('zoë@bücher.de');
  });

  it.each([
    ['', 'empty'],
    ['ada', 'no @'],
    ['ada@', 'no domain'],
    ['@example.com', 'no local part'],
    ['ada@example', 'no dot in the domain'],
    ['ada@@example.com', 'two @'],
    ['ada lovelace@example.com', 'inner space'],
    ['ada@exa mple.com', 'space in the domain'],
    ['.ada@example.com', 'leading dot'],
    ['ada.@example.com', 'trailing dot in the local part'],
    ['ada..byron@example.com', 'consecutive dots'],
    ['ada\u0000@example.com', 'control character'],
    ['ada\r\n@example.com', 'CR/LF injection'],
    ['ada@example.c', 'one-letter top-level domain'],
  ])('rejects %j (%s)', (input) => {
    expect(normalizeEmail(input)).toBeNull();
  });

  it('rejects addresses longer than 254 characters and local parts longer than 64', () => {
    expect(normalizeEmail(`${'a'.repeat(64)}@example.com`)).toBe(`${'a'.repeat(64)}@example.com`);
    expect(normalizeEmail(`${'a'.repeat(65)}@example.com`)).toBeNull();
    expect(normalizeEmail(`ada@${'b'.repeat(250)}.com`)).toBeNull();
    expect(normalizeEmail(`${'a'.repeat(1_000_000)}@example.com`)).toBeNull();
  });
});
