import { describe, expect, it } from 'vitest';
import { applyChange, refundable, type PaymentState } from './payment-state.rules.js';

const base: PaymentState = { status: 'requires_action', amountMinor: 6492n, capturedMinor: 0n, refundedMinor: 0n };
const run = (state: PaymentState, ...changes: Parameters<typeof applyChange>[1][]) => changes.reduce((current, change) => applyChange(current, change) ?? current, state);

describe('payment state machine', () => {
  it('captures once: a replayed capture changes nothing', () => {
    const captured = applyChange(base, { kind: 'captured', amountMinor: 6492n })!;
    expect(captured).toMatchObject({ status: 'captured', capturedMinor: 6492n });
    expect(applyChange(captured, { kind: 'captured', amountMinor: 6492n })).toBeNull();
  });

  it('never goes back from captured: a late failure, authorization or cancellation is ignored', () => {
    const captured = run(base, { kind: 'captured', amountMinor: 6492n });
    for (const late of [{ kind: 'failed' }, { kind: 'authorized' }, { kind: 'cancelled' }, { kind: 'requires_action' }] as const) expect(applyChange(captured, late)).toBeNull();
  });

  it('a refund before its capture still ends right, in either order', () => {
    const refundFirst = run(base, { kind: 'refunds', refundedMinor: 1000n }, { kind: 'captured', amountMinor: 6492n });
    const captureFirst = run(base, { kind: 'captured', amountMinor: 6492n }, { kind: 'refunds', refundedMinor: 1000n });
    expect(refundFirst).toEqual(captureFirst);
    expect(refundFirst).toMatchObject({ status: 'partially_refunded', capturedMinor: 6492n, refundedMinor: 1000n });
    expect(run(refundFirst, { kind: 'refunds', refundedMinor: 6492n })).toMatchObject({ status: 'refunded' });
  });

  it('refunds at most what was captured and not refunded', () => {
    const partly = run(base, { kind: 'captured', amountMinor: 6492n }, { kind: 'refunds', refundedMinor: 1000n });
    expect(refundable(partly, 0n)).toBe(5492n);
    expect(refundable(partly, 492n)).toBe(5000n);
    expect(refundable(base, 0n)).toBe(0n);
  });

  it('a capture after a decline (a retried card) ends captured; a cancelled payment stays cancelled', () => {
    expect(run(base, { kind: 'failed' }, { kind: 'captured', amountMinor: 6492n })).toMatchObject({ status: 'captured' });
    expect(run(base, { kind: 'cancelled' }, { kind: 'captured', amountMinor: 6492n })).toMatchObject({ status: 'cancelled' });
  });
});
