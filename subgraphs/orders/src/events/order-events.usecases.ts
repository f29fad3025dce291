import { badUserInputError } from '@meridian/platform';
import type { OrderEventsRepository, OutboxEvent } from './order-events.repository.js';
import { DEFAULT_ORDER_FEED_PAGE, FEED_START, MAX_ORDER_FEED_PAGE, decodeOrderFeedPosition, encodeOrderFeedPosition, type OrderFeedPosition } from './order-feed.rules.js';

export type OrderEventFeedUseCases = ReturnType<typeof createOrderEventFeedUseCases>;

export interface OrderEventFeedPage {
  events: OutboxEvent[];
  next: string;
  hasMore: boolean;
}

/**
 * The orders outbox as a feed for other services (notifications): the events in the order their transactions
 * wrote them, from a position the feed handed out. A pass starts at the oldest transaction running when the
 * one before it began, so an event that commits late is read in the next pass rather than lost.
 */
export function createOrderEventFeedUseCases(deps: { events: OrderEventsRepository }) {
  return {
    async page(after: string | null, first: number | null): Promise<OrderEventFeedPage> {
      const limit = first ?? DEFAULT_ORDER_FEED_PAGE;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ORDER_FEED_PAGE) throw badUserInputError(`first must be between 1 and ${MAX_ORDER_FEED_PAGE}`);
      const position = after === null ? FEED_START : decodeOrderFeedPosition(after);
      if (position === null) throw badUserInputError('after is not a position this feed handed out');
      const horizon = position.pass?.horizon ?? (await deps.events.horizon());
      const events = await deps.events.eventsFrom(position.from, position.pass?.afterKey ?? null, limit);
      const hasMore = events.length === limit;
      const last = events.at(-1);
      const next: OrderFeedPosition = hasMore && last ? { from: position.from, pass: { horizon, afterKey: { xid: last.xid, id: last.id } } } : { from: horizon, pass: null };
      return { events, next: encodeOrderFeedPosition(next), hasMore };
    },
  };
}
