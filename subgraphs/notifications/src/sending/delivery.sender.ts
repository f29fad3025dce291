import type { DeliveryRow } from '@meridian/db/notifications';
import type { MailTransport } from '@meridian/mail';
import type { Logger } from '@meridian/platform';
import type { DeliveriesRepository } from '../deliveries/deliveries.repository.js';
import type { NotificationKind } from '../feed/order-event.rules.js';
import type { NotificationsGraph } from '../graph/notifications-graph.client.js';
import { renderMessage } from '../templates/render.js';
import { isExhausted, retryDelayMs } from './backoff.rules.js';
import { messageLocale, type ShopLanguages } from './language.rules.js';

const BATCH = 20;

export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
  leaseMs: number;
}

/**
 * Sends the due messages: each one's recipient and language are read now (the account's current address and
 * preference), it is rendered and handed to the transport, then marked sent. A failed attempt is retried with
 * exponential backoff and jitter; after `maxAttempts` the delivery is dead until an admin retries it. A delivery
 * with nobody to write to (its account was deleted) is erased instead, as account deletion erases it.
 * At-least-once only between the transport's acceptance and `markSent`: a process that dies there sends the
 * message again when the lease ends.
 */
export function createDeliverySender(deps: { deliveries: DeliveriesRepository; graph: NotificationsGraph; transport: MailTransport; policy: RetryPolicy; log: Logger; random?: () => number }) {
  const { deliveries, policy, log } = deps;

  async function attempt(delivery: DeliveryRow, shop: () => Promise<ShopLanguages>): Promise<void> {
    let recipient: string | undefined;
    let locale: string | undefined;
    try {
      const account = delivery.userId ? await deps.graph.recipient(delivery.userId) : null;
      recipient = account?.email ?? delivery.guestEmail ?? undefined;
      if (!recipient) {
        // Its account is gone: whether or not the account's erasure has reached this service yet (the order feed
        // may give its events after it), what the delivery holds about the person goes; its key stays.
        await deliveries.erase(delivery.id);
        log.info({ delivery: delivery.id, kind: delivery.kind }, 'notification dropped and erased: its account was deleted');
        return;
      }
      locale = messageLocale({ preferred: account?.preferredLocale ?? null, orderLocale: delivery.orderLocale }, await shop());
      const message = renderMessage(delivery.kind as NotificationKind, delivery.data, locale);
      await deps.transport.send({ to: recipient, ...message });
      await deliveries.markSent(delivery.id, delivery.attempts, { recipient, locale });
    } catch (error) {
      const reason = `${error instanceof Error ? error.name : 'Error'}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500);
      const exhausted = isExhausted(delivery.attempts, policy.maxAttempts);
      const retryAt = exhausted ? null : new Date(Date.now() + retryDelayMs(delivery.attempts, { baseMs: policy.baseMs, maxMs: policy.maxMs }, deps.random));
      await deliveries.markFailed(delivery.id, delivery.attempts, { error: reason, retryAt, ...(recipient ? { recipient } : {}), ...(locale ? { locale } : {}) });
      const fields = { delivery: delivery.id, kind: delivery.kind, attempts: delivery.attempts, reason };
      if (retryAt) log.warn({ ...fields, retryAt }, 'notification not sent; retrying later');
      else log.error(fields, 'notification not sent; dead-lettered (notificationDeliveries(status: DEAD), retryNotification)');
    }
  }

  return async function sendDue(): Promise<number> {
    const due = await deliveries.claimDue(BATCH, policy.leaseMs);
    if (due.length === 0) return 0;
    // The shop's languages, read once per round and only when something is due.
    let languages: Promise<ShopLanguages> | undefined;
    const shop = () => (languages ??= deps.graph.shop());
    for (const delivery of due) await attempt(delivery, shop);
    return due.length;
  };
}
