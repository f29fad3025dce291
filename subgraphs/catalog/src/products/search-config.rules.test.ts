import { describe, expect, it } from 'vitest';
import { searchConfigFor } from './search-config.rules.js';

describe('searchConfigFor', () => {
  it('uses the stemmer of the language, regional variants included', () => {
    expect(searchConfigFor('de')).toBe('german');
    expect(searchConfigFor('fr-CA')).toBe('french');
    expect(searchConfigFor('es-419')).toBe('spanish');
    expect(searchConfigFor('en-GB')).toBe('english');
  });

  it('falls back to simple where PostgreSQL has no stemmer (Japanese, Chinese)', () => {
    expect(searchConfigFor('ja')).toBe('simple');
    expect(searchConfigFor('zh-Hant-TW')).toBe('simple');
  });
});
