import { isUuid } from '@meridian/platform';

/**
 * Where a reader of the availability feed stands, handed out as an opaque string:
 * - `levels`: the first pass over every variant with stock levels, in id order, after `afterVariant`;
 * - `ledger`: the movements of transaction `from` and later. While a pass is under way, `horizon` is the
 *   oldest transaction that was running when the pass began (where the next pass starts) and `afterKey`
 *   the last movement given.
 */
export type FeedPosition =
  | { kind: 'levels'; horizon: string; afterVariant: string }
  | { kind: 'ledger'; from: string; pass: { horizon: string; afterKey: { xid: string; id: string } } | null };

export const DEFAULT_FEED_PAGE = 500;
export const MAX_FEED_PAGE = 1_000;

const XID = /^\d{1,20}$/;

export function encodeFeedPosition(position: FeedPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position a string names, or null when it is not one this feed handed out. */
export function decodeFeedPosition(text: string): FeedPosition | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const position = value as Record<string, unknown>;
  const isXid = (candidate: unknown): candidate is string => typeof candidate === 'string' && XID.test(candidate);
  if (position.kind === 'levels') {
    return isXid(position.horizon) && typeof position.afterVariant === 'string' && isUuid(position.afterVariant)
      ? { kind: 'levels', horizon: position.horizon, afterVariant: position.afterVariant }
      : null;
  }
  if (position.kind !== 'ledger' || !isXid(position.from)) return null;
  if (position.pass === null) return { kind: 'ledger', from: position.from, pass: null };
  const pass = position.pass as Record<string, unknown> | undefined;
  const key = pass?.afterKey as Record<string, unknown> | undefined;
  if (!pass || !isXid(pass.horizon) || !key || !isXid(key.xid) || typeof key.id !== 'string' || !isUuid(key.id)) return null;
  return { kind: 'ledger', from: position.from, pass: { horizon: pass.horizon, afterKey: { xid: key.xid, id: key.id } } };
}
