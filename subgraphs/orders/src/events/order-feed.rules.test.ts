import { describe, expect, it } from 'vitest';
import { FEED_START, decodeOrderFeedPosition, encodeOrderFeedPosition, type OrderFeedPosition } from './order-feed.rules.js';

describe('order feed positions', () => {
  it('decode what they encode', () => {
    const positions: OrderFeedPosition[] = [
      FEED_START,
      { from: '812', pass: null },
      { from: '812', pass: { horizon: '900', afterKey: { xid: '850', id: '0190a0e0-0000-7000-8000-000000000001' } } },
    ];
    for (const position of positions) expect(decodeOrderFeedPosition(encodeOrderFeedPosition(position))).toEqual(position);
  });

  it('refuse anything the feed did not hand out', () => {
    expect(decodeOrderFeedPosition('not a position')).toBeNull();
    expect(decodeOrderFeedPosition(Buffer.from(JSON.stringify({ from: '1; drop table' , pass: null })).toString('base64url'))).toBeNull();
    expect(decodeOrderFeedPosition(Buffer.from(JSON.stringify({ from: '1', pass: { horizon: '2', afterKey: { xid: '2', id: 'x' } } })).toString('base64url'))).toBeNull();
  });
});
