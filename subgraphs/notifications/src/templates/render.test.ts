import { describe, expect, it } from 'vitest';
import type { NotificationData } from '@meridian/db/notifications';
import { NOTIFICATION_KINDS, type NotificationKind } from '../feed/order-event.rules.js';
import { MESSAGE_LANGUAGES } from './messages.js';
import { catalogLanguage, renderMessage } from './render.js';

// Fixed data: every message of every language is compared with its snapshot file (templates/__snapshots__/).
const ORDER: NotificationData = { orderNumber: 'M-2026-000123', currency: 'EUR', totalMinor: '133995', itemCount: 3, customerName: 'Erika Mustermann' };
const DATA: Record<NotificationKind, NotificationData> = {
  order_confirmation: ORDER,
  payment_received: ORDER,
  shipped: ORDER,
  refunded: { ...ORDER, refundedMinor: '1000', fullRefund: false },
  cancelled: ORDER,
};

describe.each(MESSAGE_LANGUAGES)('messages in %s', (language) => {
  it.each(NOTIFICATION_KINDS)('%s', async (kind) => {
    const message = renderMessage(kind, DATA[kind], language);
    expect(message.language).toBe(language);
    await expect(`Subject: ${message.subject}\n\n${message.text}\n---\n${message.html}`).toMatchFileSnapshot(`__snapshots__/${language}/${kind}.txt`);
  });
});

describe('renderMessage', () => {
  it('writes money from minor units in the order’s currency, as the language writes it', () => {
    expect(renderMessage('payment_received', ORDER, 'de').text).toContain('1.339,95\u00a0€');
    expect(renderMessage('payment_received', ORDER, 'en').text).toContain('€1,339.95');
    expect(renderMessage('payment_received', { ...ORDER, currency: 'JPY', totalMinor: '1340' }, 'en').text).toContain('¥1,340 ');
  });

  it('tells a full refund from a partial one', () => {
    expect(renderMessage('refunded', { ...ORDER, refundedMinor: '133995', fullRefund: true }, 'en').subject).toBe('Order M-2026-000123 refunded');
    expect(renderMessage('refunded', DATA.refunded, 'en').subject).toBe('Partial refund for order M-2026-000123');
    expect(renderMessage('refunded', DATA.refunded, 'en').text).toContain('We have refunded €10.00 of your order M-2026-000123.');
  });

  it('escapes what the shopper typed in the HTML part, and keeps it as typed in the text part', () => {
    const message = renderMessage('shipped', { ...ORDER, customerName: '<img src=x onerror="alert(1)"> & Co' }, 'en');
    expect(message.html).toContain('Hello &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Co,');
    expect(message.html).not.toContain('<img');
    expect(message.text).toContain('Hello <img src=x onerror="alert(1)"> & Co,');
  });

  it('falls back to English for a language without a catalog and uses a regional tag’s language', () => {
    expect(catalogLanguage('de-AT')).toBe('de');
    expect(catalogLanguage('ja')).toBe('en');
    expect(renderMessage('cancelled', ORDER, 'fr-CA').language).toBe('fr');
  });
});
