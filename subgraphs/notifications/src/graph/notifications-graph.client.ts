import { dataOf, type GraphAnswer } from '@meridian/platform';
import type { FeedEvent } from '../feed/order-event.rules.js';
import type { ShopLanguages } from '../sending/language.rules.js';

type Call = (variables: Record<string, unknown>) => Promise<GraphAnswer>;

export interface OrderEventPage {
  events: FeedEvent[];
  next: string;
  hasMore: boolean;
}

export interface Recipient {
  email: string;
  preferredLocale: string | null;
}

/** What the notifications service reads through the router, with its own token (the `notifications` role). */
export interface NotificationsGraph {
  orderEvents(after: string | null, first: number): Promise<OrderEventPage>;
  /** An account's address and profile language; null for an unknown or deleted account. */
  recipient(userId: string): Promise<Recipient | null>;
  shop(): Promise<ShopLanguages>;
}

export function createNotificationsGraph(calls: { orderEvents: Call; recipient: Call; shop: Call }): NotificationsGraph {
  return {
    async orderEvents(after, first) {
      const data = dataOf('NotificationOrderEvents', await calls.orderEvents({ after, first }));
      return data.orderEvents as OrderEventPage;
    },
    async recipient(userId) {
      const data = dataOf('NotificationRecipient', await calls.recipient({ userId }));
      return (data.notificationRecipient as Recipient | null) ?? null;
    },
    async shop() {
      const data = dataOf('NotificationShop', await calls.shop({}));
      return data.shop as ShopLanguages;
    },
  };
}
