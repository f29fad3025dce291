import { describe, expect, it } from 'vitest';
import { messageFor, type FeedEvent } from './order-event.rules.js';

const order = { id: '0190a0e0-0000-7000-8000-000000000005', number: 'M-2026-000042', status: 'PAID', currency: 'EUR', email: 'guest@example.com', total: { minorUnits: '13395' }, lines: [{ quantity: 2 }, { quantity: 1 }], shippingAddress: { fullName: 'Erika Mustermann' } };
const event = (type: string, extra: Partial<FeedEvent> = {}): FeedEvent => ({ id: '0190a0e0-0000-7000-8000-0000000000aa', type, userId: null, locale: 'de', refunded: null, order, ...extra });

describe('messageFor', () => {
  it('sends one message for each event a customer hears about', () => {
    expect(
      ['order.placed', 'order.paid', 'order.fulfilled', 'order.partially_refunded', 'order.refunded', 'order.cancelled', 'order.delivered', 'order.unknown'].map((type) => messageFor(event(type))?.kind ?? null),
    ).toEqual(['order_confirmation', 'payment_received', 'shipped', 'refunded', 'refunded', 'cancelled', null, null]);
  });

  it('counts the units of a confirmation and tells a partial refund from a full one', () => {
    expect(messageFor(event('order.placed'))!.data).toMatchObject({ orderNumber: 'M-2026-000042', itemCount: 3, totalMinor: '13395', currency: 'EUR' });
    expect(messageFor(event('order.partially_refunded', { refunded: { minorUnits: '1000' } }))!.data).toMatchObject({ refundedMinor: '1000', fullRefund: false });
    expect(messageFor(event('order.refunded', { refunded: { minorUnits: '3395' } }))!.data).toMatchObject({ refundedMinor: '3395', fullRefund: true });
  });

  it('writes to the guest’s address, and leaves a signed-in shopper’s to be read when the message leaves', () => {
    expect(messageFor(event('order.placed'))).toMatchObject({ guestEmail: 'guest@example.com', userId: null, orderLocale: 'de' });
    expect(messageFor(event('order.placed', { userId: '0190a0e0-0000-7000-8000-000000000001', order: { ...order, email: null } }))).toMatchObject({ guestEmail: null, userId: '0190a0e0-0000-7000-8000-000000000001' });
  });

  it('queues nothing for an order its deleted account no longer owns: nobody to write to, no name to keep', () => {
    expect(messageFor(event('order.paid', { userId: null, order: { ...order, email: null } }))).toBeNull();
  });
});
