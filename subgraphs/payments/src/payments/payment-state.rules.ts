/**
 * A payment's life, as an explicit state machine that only moves forward, so provider events may arrive
 * twice, late or out of order and still end in the right state:
 *
 *   created → requires_action → authorized → captured → partially_refunded → refunded
 *      \            |               |
 *       +-----------+---------------+--> failed | cancelled
 *
 * A capture never goes back; a refund proves the capture before it (a refund's event that overtakes its
 * capture's still ends captured, then refunded); a late `failed` or `authorized` after a capture changes nothing.
 */
export const PAYMENT_STATUSES = ['created', 'requires_action', 'authorized', 'captured', 'partially_refunded', 'refunded', 'cancelled', 'failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface PaymentState {
  status: PaymentStatus;
  amountMinor: bigint;
  capturedMinor: bigint;
  refundedMinor: bigint;
}

export type StateChange =
  | { kind: 'requires_action' }
  | { kind: 'authorized' }
  | { kind: 'captured'; amountMinor: bigint }
  | { kind: 'failed' }
  | { kind: 'cancelled' }
  /** The sum of the payment's succeeded refunds, after a refund settled. */
  | { kind: 'refunds'; refundedMinor: bigint };

const OPEN: readonly PaymentStatus[] = ['created', 'requires_action', 'authorized'];
const CAPTURED: readonly PaymentStatus[] = ['captured', 'partially_refunded', 'refunded'];

export const isCaptured = (status: PaymentStatus) => CAPTURED.includes(status);
export const isOpen = (status: PaymentStatus) => OPEN.includes(status);

const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** The state after `change`, or null when the change does not apply (a replay, or an event older than the state). */
export function applyChange(state: PaymentState, change: StateChange): PaymentState | null {
  switch (change.kind) {
    case 'requires_action':
      return state.status === 'created' ? { ...state, status: 'requires_action' } : null;
    case 'authorized':
      return state.status === 'created' || state.status === 'requires_action' ? { ...state, status: 'authorized' } : null;
    case 'failed':
      return state.status === 'created' || state.status === 'requires_action' ? { ...state, status: 'failed' } : null;
    case 'cancelled':
      return isOpen(state.status) ? { ...state, status: 'cancelled' } : null;
    case 'captured': {
      // A card retried after a decline can still succeed: a capture also ends `failed`.
      if (!isOpen(state.status) && state.status !== 'failed') return null;
      return settle({ ...state, capturedMinor: min(change.amountMinor, state.amountMinor) });
    }
    case 'refunds': {
      if (state.status === 'cancelled') return null;
      // The refund proves a capture of at least what it gives back, whichever event came first.
      const capturedMinor = state.capturedMinor > 0n ? state.capturedMinor : state.amountMinor;
      const next = settle({ ...state, capturedMinor, refundedMinor: min(change.refundedMinor, capturedMinor) });
      return next.status === state.status && next.refundedMinor === state.refundedMinor && next.capturedMinor === state.capturedMinor ? null : next;
    }
  }
}

function settle(state: PaymentState): PaymentState {
  const status: PaymentStatus = state.refundedMinor === 0n ? 'captured' : state.refundedMinor >= state.capturedMinor ? 'refunded' : 'partially_refunded';
  return { ...state, status };
}

/** What may still be refunded: captured, less what was refunded or is being refunded. */
export function refundable(state: PaymentState, pendingMinor: bigint): bigint {
  return isCaptured(state.status) ? state.capturedMinor - state.refundedMinor - pendingMinor : 0n;
}
