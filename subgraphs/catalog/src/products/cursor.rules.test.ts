import { describe, expect, it } from 'vitest';
import { cursorOf, keysetOf } from './cursor.rules.js';

describe('product cursors', () => {
  it('round-trip the sort key and id', () => {
    const keyset = { key: '1999', id: '019ad5e0-0000-7000-8000-000000000003' };
    expect(keysetOf(cursorOf(keyset), 'after')).toEqual(keyset);
  });

  it('refuse anything else as bad input', () => {
    expect(() => keysetOf('not a cursor', 'after')).toThrow(/after is not a cursor/);
    expect(() => keysetOf(Buffer.from('["1","x"]').toString('base64url'), 'before')).toThrow(/before is not a cursor/);
  });
});
