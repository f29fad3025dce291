/**
 * The order's life, as an explicit state machine: every change of status is one of these events, and
 * an event the current status does not allow is refused (a typed error, nothing changes).
 *
 *   PENDING_PAYMENT --pay--> PAID --fulfil--> FULFILLED --deliver--> DELIVERED
 *         |                   |                  |                      |
 *       cancel             cancel             refund (all lines)     refund (all lines)
 *         v                   v                  v                      v
 *     CANCELLED          CANCELLED            REFUNDED               REFUNDED
 *
 * PAID can also be refunded in full. A refund of some lines leaves the status as it is and is tracked
 * per line; the order becomes REFUNDED when the last unit is refunded.
 */
export const ORDER_STATUSES = ['PENDING_PAYMENT', 'PAID', 'FULFILLED', 'DELIVERED', 'CANCELLED', 'REFUNDED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type OrderEvent = 'pay' | 'fulfil' | 'deliver' | 'cancel' | 'refund';

const TRANSITIONS: Record<OrderStatus, Partial<Record<OrderEvent, OrderStatus>>> = {
  PENDING_PAYMENT: { pay: 'PAID', cancel: 'CANCELLED' },
  PAID: { fulfil: 'FULFILLED', cancel: 'CANCELLED', refund: 'REFUNDED' },
  FULFILLED: { deliver: 'DELIVERED', refund: 'REFUNDED' },
  DELIVERED: { refund: 'REFUNDED' },
  CANCELLED: {},
  REFUNDED: {},
};

export type TransitionOutcome = { ok: true; to: OrderStatus } | { ok: false; from: OrderStatus; event: OrderEvent; allowed: OrderEvent[] };

/** Where `event` takes an order in `from`, or why it cannot. */
export function transition(from: OrderStatus, event: OrderEvent): TransitionOutcome {
  const to = TRANSITIONS[from][event];
  return to ? { ok: true, to } : { ok: false, from, event, allowed: allowedEvents(from) };
}

/** The events an order in `status` accepts. */
export function allowedEvents(status: OrderStatus): OrderEvent[] {
  return Object.keys(TRANSITIONS[status]) as OrderEvent[];
}

/** Statuses in which lines may be refunded one by one (money was taken, the order is not closed). */
export const REFUNDABLE: readonly OrderStatus[] = ['PAID', 'FULFILLED', 'DELIVERED'];

export interface RefundableLine {
  lineId: string;
  quantity: number;
  refundedQuantity: number;
}

export type RefundOutcome =
  | { ok: true; lines: { lineId: string; quantity: number }[]; refundsAll: boolean }
  | { ok: false; reason: 'NOT_REFUNDABLE' | 'UNKNOWN_LINE' | 'TOO_MANY' | 'NOTHING'; lineId?: string };

/**
 * Checks a refund of `quantity` units per line against what was bought and already refunded, and
 * tells whether it refunds the last unit of the order (then the order becomes REFUNDED).
 */
export function planRefund(status: OrderStatus, lines: readonly RefundableLine[], request: readonly { lineId: string; quantity: number }[]): RefundOutcome {
  if (!REFUNDABLE.includes(status)) return { ok: false, reason: 'NOT_REFUNDABLE' };
  const wanted = new Map<string, number>();
  for (const { lineId, quantity } of request) {
    if (!Number.isInteger(quantity) || quantity < 1) return { ok: false, reason: 'NOTHING', lineId };
    wanted.set(lineId, (wanted.get(lineId) ?? 0) + quantity);
  }
  if (wanted.size === 0) return { ok: false, reason: 'NOTHING' };
  const byId = new Map(lines.map((line) => [line.lineId, line]));
  for (const [lineId, quantity] of wanted) {
    const line = byId.get(lineId);
    if (!line) return { ok: false, reason: 'UNKNOWN_LINE', lineId };
    if (line.refundedQuantity + quantity > line.quantity) return { ok: false, reason: 'TOO_MANY', lineId };
  }
  const refundsAll = lines.every((line) => line.refundedQuantity + (wanted.get(line.lineId) ?? 0) === line.quantity);
  return { ok: true, lines: [...wanted].map(([lineId, quantity]) => ({ lineId, quantity })), refundsAll };
}
