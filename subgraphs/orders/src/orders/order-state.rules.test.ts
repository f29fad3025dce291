import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES, allowedEvents, planRefund, transition, type OrderEvent, type OrderStatus } from './order-state.rules.js';

const EVENTS: OrderEvent[] = ['pay', 'fulfil', 'deliver', 'cancel', 'refund'];

describe('the order state machine', () => {
  it('allows exactly these transitions, and refuses every other pair', () => {
    const allowed: Record<string, OrderStatus> = {
      'PENDING_PAYMENT pay': 'PAID',
      'PENDING_PAYMENT cancel': 'CANCELLED',
      'PAID fulfil': 'FULFILLED',
      'PAID cancel': 'CANCELLED',
      'PAID refund': 'REFUNDED',
      'FULFILLED deliver': 'DELIVERED',
      'FULFILLED refund': 'REFUNDED',
      'DELIVERED refund': 'REFUNDED',
    };
    for (const from of ORDER_STATUSES) {
      for (const event of EVENTS) {
        const expected = allowed[`${from} ${event}`];
        const outcome = transition(from, event);
        if (expected) expect(outcome, `${from} ${event}`).toEqual({ ok: true, to: expected });
        else expect(outcome, `${from} ${event}`).toEqual({ ok: false, from, event, allowed: allowedEvents(from) });
      }
    }
  });

  it('ends in CANCELLED and REFUNDED', () => {
    expect(allowedEvents('CANCELLED')).toEqual([]);
    expect(allowedEvents('REFUNDED')).toEqual([]);
  });
});

describe('refunds per line', () => {
  const lines = [
    { lineId: 'a', quantity: 2, refundedQuantity: 0 },
    { lineId: 'b', quantity: 1, refundedQuantity: 0 },
  ];

  it('refunds part of an order, then the rest, which refunds it all', () => {
    expect(planRefund('PAID', lines, [{ lineId: 'a', quantity: 1 }])).toEqual({ ok: true, lines: [{ lineId: 'a', quantity: 1 }], refundsAll: false });
    const after = [{ ...lines[0]!, refundedQuantity: 1 }, lines[1]!];
    expect(planRefund('DELIVERED', after, [{ lineId: 'a', quantity: 1 }, { lineId: 'b', quantity: 1 }])).toMatchObject({ ok: true, refundsAll: true });
  });

  it('refuses more than was bought, unknown lines, nothing, and orders not paid', () => {
    expect(planRefund('PAID', lines, [{ lineId: 'a', quantity: 1 }, { lineId: 'a', quantity: 2 }])).toEqual({ ok: false, reason: 'TOO_MANY', lineId: 'a' });
    expect(planRefund('PAID', lines, [{ lineId: 'z', quantity: 1 }])).toEqual({ ok: false, reason: 'UNKNOWN_LINE', lineId: 'z' });
    expect(planRefund('PAID', lines, [])).toEqual({ ok: false, reason: 'NOTHING' });
    expect(planRefund('PAID', lines, [{ lineId: 'a', quantity: 0 }])).toEqual({ ok: false, reason: 'NOTHING', lineId: 'a' });
    for (const status of ['PENDING_PAYMENT', 'CANCELLED', 'REFUNDED'] as const) expect(planRefund(status, lines, [{ lineId: 'a', quantity: 1 }])).toEqual({ ok: false, reason: 'NOT_REFUNDABLE' });
  });
});
