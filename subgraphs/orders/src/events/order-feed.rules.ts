import { isUuid } from '@meridian/platform';

/**
 * Where a reader of the `orderEvents` feed stands, handed out as an opaque string (the inventory's
 * `availabilityChanges` design): the outbox events of transaction `from` and later. While a pass is under
 * way, `horizon` is the oldest transaction that was running when the pass began (where the next pass
 * starts) and `afterKey` the last event given. An event that commits after a later one was read is read in
 * the next pass; an event may so come twice (readers deduplicate by its id), never not at all.
 */
export interface OrderFeedPosition {
  from: string;
  pass: { horizon: string; afterKey: { xid: string; id: string } } | null;
}

export const DEFAULT_ORDER_FEED_PAGE = 100;
export const MAX_ORDER_FEED_PAGE = 500;

const XID = /^\d{1,20}$/;

/** From no position: every event the outbox holds. */
export const FEED_START: OrderFeedPosition = { from: '0', pass: null };

export function encodeOrderFeedPosition(position: OrderFeedPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position a string names, or null when it is not one this feed handed out. */
export function decodeOrderFeedPosition(text: string): OrderFeedPosition | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const position = value as Record<string, unknown>;
  const isXid = (candidate: unknown): candidate is string => typeof candidate === 'string' && XID.test(candidate);
  if (!isXid(position.from)) return null;
  if (position.pass === null) return { from: position.from, pass: null };
  const pass = position.pass as Record<string, unknown> | undefined;
  const key = pass?.afterKey as Record<string, unknown> | undefined;
  if (!pass || !isXid(pass.horizon) || !key || !isXid(key.xid) || typeof key.id !== 'string' || !isUuid(key.id)) return null;
  return { from: position.from, pass: { horizon: pass.horizon, afterKey: { xid: key.xid, id: key.id } } };
}
