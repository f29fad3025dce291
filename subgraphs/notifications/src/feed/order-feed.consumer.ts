import type { Logger } from '@meridian/platform';
import type { NotificationsDb } from '../db.js';
import type { DeliveriesRepository } from '../deliveries/deliveries.repository.js';
import type { NotificationsGraph } from '../graph/notifications-graph.client.js';
import { messageFor } from './order-event.rules.js';

const FEED = 'orders';
const PAGE = 100;
/** Pages read per round at most, so that sending is not held up behind a long backlog. */
const MAX_PAGES_PER_ROUND = 20;

/**
 * Reads the orders service's event feed from where it stopped and queues the messages of its events, the
 * position saved in the same transaction as the messages: a restart reads on from there, and an event read
 * twice (the feed may give one again) queues nothing new. Two workers reading the same part: the second
 * one's position no longer matches and it rolls back.
 */
export function createOrderFeedConsumer(deps: { db: NotificationsDb; deliveries: DeliveriesRepository; graph: NotificationsGraph; log: Logger }) {
  return async function consume(): Promise<number> {
    let queued = 0;
    for (let page = 0; page < MAX_PAGES_PER_ROUND; page++) {
      const position = await deps.deliveries.position(FEED);
      const part = await deps.graph.orderEvents(position, PAGE);
      const messages = part.events.flatMap((event) => messageFor(event) ?? []);
      const advanced = await deps.db.transaction(async (tx) => {
        // The position moves first: when another worker moved it, nothing is written and this round ends.
        if (!(await deps.deliveries.advance(tx, FEED, position, part.next))) return false;
        queued += await deps.deliveries.enqueue(tx, messages);
        return true;
      });
      if (!advanced || !part.hasMore) break;
    }
    return queued;
  };
}
