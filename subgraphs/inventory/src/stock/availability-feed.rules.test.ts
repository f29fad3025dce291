import { describe, expect, it } from 'vitest';
import { decodeFeedPosition, encodeFeedPosition, type FeedPosition } from './availability-feed.rules.js';

const variant = '0190f5c8-7d1e-7000-8000-000000000004';

describe('availability feed positions', () => {
  it('read back what they were written as', () => {
    const positions: FeedPosition[] = [
      { kind: 'levels', horizon: '1234', afterVariant: variant },
      { kind: 'ledger', from: '1234', pass: null },
      { kind: 'ledger', from: '1234', pass: { horizon: '1300', afterKey: { xid: '1250', id: variant } } },
    ];
    for (const position of positions) expect(decodeFeedPosition(encodeFeedPosition(position))).toEqual(position);
  });

  it('refuse anything the feed did not hand out', () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    expect(decodeFeedPosition('not a position')).toBeNull();
    expect(decodeFeedPosition(encode({ kind: 'ledger', from: '1; drop table' , pass: null }))).toBeNull();
    expect(decodeFeedPosition(encode({ kind: 'levels', horizon: '12', afterVariant: 'x' }))).toBeNull();
    expect(decodeFeedPosition(encode({ kind: 'ledger', from: '12', pass: { horizon: '13', afterKey: { xid: '12', id: 'nope' } } }))).toBeNull();
    expect(decodeFeedPosition(encode({ kind: 'ledger', from: '12' }))).toBeNull();
    expect(decodeFeedPosition(encode(null))).toBeNull();
  });
});
