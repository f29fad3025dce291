import { badUserInputError, isUuid, validationFailed, type Logger, type Viewer } from '@meridian/platform';
import type { OrderLineRow, OrderRow } from '@meridian/db/orders';
import type { StockPort } from '../checkout/checkout.model.js';
import type { OrdersDb } from '../db.js';
import { illegalTransition, orderNotFound } from '../orders.errors.js';
import type { OrderPage } from './orders.model.js';
import type { OrderListFilter, OrdersRepository } from './orders.repository.js';
import { REFUNDABLE, allowedEvents, planRefund, transition, type OrderEvent, type OrderStatus } from './order-state.rules.js';

export type OrderUseCases = ReturnType<typeof createOrderUseCases>;

const ADMIN = 'admin';
const MAX_PAGE = 100;

// A cursor is the order's id, packed (16 bytes, base64url): opaque to clients, stable for as long as the order exists.
const cursorOf = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex').toString('base64url');

function idOf(cursor: string): string {
  const hex = Buffer.from(cursor, 'base64url').toString('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  if (hex.length !== 32 || cursorOf(id) !== cursor || !isUuid(id)) throw badUserInputError('after is not a cursor of this connection');
  return id;
}

const isAdmin = (viewer: Viewer | null) => viewer !== null && viewer.clientId === undefined && viewer.roles.includes(ADMIN);

/** Who made a change, as the order's history records it. */
export function actorOf(viewer: Viewer | null): string {
  if (viewer === null) return 'guest';
  return viewer.clientId !== undefined ? `service:${viewer.clientId}` : viewer.userId;
}

/** What a refund of `quantity` more units of a line gives back: its share of what was paid for the line, without losing a minor unit. */
function refundOf(order: OrderRow, line: OrderLineRow, quantity: number): bigint {
  const paid = line.lineTotalMinor - line.discountMinor + (order.pricesIncludeTax ? 0n : line.taxMinor);
  const q = BigInt(line.quantity);
  const share = (units: number) => (paid * BigInt(units)) / q;
  return share(line.refundedQuantity + quantity) - share(line.refundedQuantity);
}

/**
 * Orders after checkout: reading them (owner or admin; anyone else's reads like an unknown one) and
 * changing their status by the state machine of order-state.rules.ts, each change recorded with who,
 * when and why, in one transaction that locks the order (concurrent changes queue). Stock follows:
 * paying commits the order's reservation, cancelling releases it.
 */
export function createOrderUseCases(deps: { db: OrdersDb; orders: OrdersRepository; stock: StockPort; log: Logger; now?: () => Date }) {
  const { db, orders, stock } = deps;
  const now = deps.now ?? (() => new Date());

  async function page(filter: OrderListFilter, args: { first?: number | null; after?: string | null }): Promise<OrderPage> {
    const first = args.first ?? 20;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badUserInputError(`first must be between 1 and ${MAX_PAGE}`);
    const after = args.after ? idOf(args.after) : null;
    const [rows, totalCount] = await Promise.all([orders.page(filter, after, first + 1), orders.count(filter)]);
    const edges = rows.slice(0, first).map((node) => ({ cursor: cursorOf(node.id), node }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, hasPreviousPage: after !== null, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount,
    };
  }

  /** Changes an order's status in one transaction, or answers why not; nothing changes on a refusal. */
  async function change(input: { id: string; event: OrderEvent; viewer: Viewer | null; actor?: string; reason: string | null; mayAct: (order: OrderRow) => boolean; allowed?: (order: OrderRow) => OrderEvent[] }) {
    if (!isUuid(input.id)) return orderNotFound();
    const id = input.id.toLowerCase();
    const outcome = await db.transaction(async (tx) => {
      const locked = await orders.lock(tx, id);
      if (!locked || !input.mayAct(locked.order)) return orderNotFound();
      const from = locked.order.status as OrderStatus;
      const allowed = input.allowed?.(locked.order) ?? allowedEvents(from);
      const next = transition(from, input.event);
      if (!next.ok || !allowed.includes(input.event)) return illegalTransition(from, input.event, allowed);
      const order = await orders.recordTransition(tx, { order: locked.order, to: next.to, event: input.event, actor: input.actor ?? actorOf(input.viewer), reason: input.reason, now: now() });
      return { __typename: 'OrderUpdated', order } as const;
    });
    return outcome;
  }

  async function releaseAfterCancel(order: OrderRow) {
    if (!order.reservationId) return;
    try {
      await stock.release(order.reservationId);
    } catch (error) {
      // The reservation runs out by itself (its TTL is the payment window and a margin): nothing stays held for good.
      deps.log.warn({ err: error, orderId: order.id }, 'the reservation of a cancelled order could not be released now; it expires');
    }
  }

  return {
    /** Orders by id (the loader behind every order read): one statement. */
    async byIds(ids: readonly string[]): Promise<(OrderRow | null)[]> {
      const valid = ids.filter(isUuid).map((id) => id.toLowerCase());
      const byId = new Map((await orders.byIds(db, valid)).map((order) => [order.id, order]));
      return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
    },

    /** The lines of these orders, by order: one statement. */
    async linesOf(orderIds: readonly string[]): Promise<OrderLineRow[][]> {
      const lines = await orders.linesOf(orderIds);
      return orderIds.map((id) => lines.filter((line) => line.orderId === id));
    },

    async eventsOf(orderIds: readonly string[]) {
      const events = await orders.eventsOf(orderIds);
      return orderIds.map((id) => events.filter((event) => event.orderId === id));
    },

    /** An order for its owner or an admin; null for anyone else, exactly as for an unknown id. */
    async find(viewer: Viewer | null, id: string, load: (id: string) => Promise<OrderRow | null>): Promise<OrderRow | null> {
      if (viewer === null || !isUuid(id)) return null;
      const order = await load(id.toLowerCase());
      if (!order) return null;
      return (order.userId !== null && order.userId === viewer.userId && viewer.clientId === undefined) || isAdmin(viewer) ? order : null;
    },

    /** `User.orders`: the user's own orders; an admin (whom `@private` lets through) gets an empty page. */
    async ofUser(viewer: Viewer | null, userId: string, args: { first?: number | null; after?: string | null }): Promise<OrderPage> {
      if (viewer === null || viewer.userId !== userId || viewer.clientId !== undefined || !isUuid(userId)) {
        return { edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null }, totalCount: 0 };
      }
      return page({ userId: userId.toLowerCase() }, args);
    },

    /** Every order (admin: declared in the SDL). */
    list(filter: { status?: OrderStatus | null } | null | undefined, args: { first?: number | null; after?: string | null }): Promise<OrderPage> {
      return page(filter?.status ? { status: filter.status } : {}, args);
    },

    /** `PENDING_PAYMENT → PAID` (the payments service, or an admin): the reserved units are taken out of the stock first. */
    async markPaid(viewer: Viewer | null, id: string, reference: string) {
      if (!isUuid(id)) return orderNotFound();
      const [order] = await orders.byIds(db, [id.toLowerCase()]);
      if (!order) return orderNotFound();
      const from = order.status as OrderStatus;
      // A replay (the payments service retries, a provider resends its event) answers the order it paid.
      if (from !== 'PENDING_PAYMENT' && (await orders.hasEvent(db, order.id, 'pay', reference))) return { __typename: 'OrderUpdated', order } as const;
      if (!transition(from, 'pay').ok) return illegalTransition(from, 'pay', allowedEvents(from));
      // Committed before the status changes (commit is idempotent): a PAID order never has stock that could still be given back.
      if (order.reservationId && !(await stock.commit(order.reservationId))) {
        deps.log.error({ orderId: order.id, reservationId: order.reservationId }, 'a paid order’s reservation had already closed; its units are not held');
      }
      const outcome = await change({ id, event: 'pay', viewer, reason: reference, mayAct: () => true });
      // The same payment recorded at the same time by another request: that one paid it.
      if (outcome.__typename === 'IllegalOrderTransition' && (await orders.hasEvent(db, order.id, 'pay', reference))) {
        const [paid] = await orders.byIds(db, [order.id]);
        return { __typename: 'OrderUpdated', order: paid! } as const;
      }
      return outcome;
    },

    fulfil: (viewer: Viewer | null, id: string, reason: string | null) => change({ id, event: 'fulfil', viewer, reason, mayAct: () => true }),

    markDelivered: (viewer: Viewer | null, id: string) => change({ id, event: 'deliver', viewer, reason: null, mayAct: () => true }),

    /**
     * Cancels an order: its owner while it waits for payment, an admin while it waits for payment or is paid;
     * someone else's order is `NotFound`. The reservation is released once the cancellation is recorded.
     */
    async cancel(viewer: Viewer | null, id: string, reason: string | null, options: { actor?: string } = {}) {
      const admin = isAdmin(viewer) || options.actor !== undefined;
      const outcome = await change({
        id,
        event: 'cancel',
        viewer,
        ...(options.actor ? { actor: options.actor } : {}),
        reason,
        mayAct: (order) => admin || (viewer !== null && order.userId === viewer.userId),
        allowed: (order) => (admin ? allowedEvents(order.status as OrderStatus) : order.status === 'PENDING_PAYMENT' ? ['cancel'] : []),
      });
      if (outcome.__typename === 'OrderUpdated') await releaseAfterCancel(outcome.order);
      return outcome;
    },

    /** Refunds units per line (admin); the last unit makes the order `REFUNDED` and refunds the rest of its total (the shipping). */
    async refundLines(viewer: Viewer | null, id: string, request: readonly { lineId: string; quantity: number }[], reason: string | null) {
      if (!isUuid(id)) return orderNotFound();
      return db.transaction(async (tx) => {
        const locked = await orders.lock(tx, id.toLowerCase());
        if (!locked) return orderNotFound();
        const { order, lines } = locked;
        const from = order.status as OrderStatus;
        const plan = planRefund(
          from,
          lines.map((line) => ({ lineId: line.id, quantity: line.quantity, refundedQuantity: line.refundedQuantity })),
          request.map((line) => ({ lineId: line.lineId.toLowerCase(), quantity: line.quantity })),
        );
        if (!plan.ok) {
          if (plan.reason === 'NOT_REFUNDABLE') return illegalTransition(from, 'refund', allowedEvents(from));
          const message = { UNKNOWN_LINE: 'No line with this id in the order', TOO_MANY: 'More units than were bought and not yet refunded', NOTHING: 'Refund at least one unit' }[plan.reason];
          return validationFailed([{ field: 'lines', code: plan.reason === 'UNKNOWN_LINE' ? 'INVALID_FORMAT' : 'OUT_OF_RANGE', message }]);
        }
        const byId = new Map(lines.map((line) => [line.id, line]));
        const refunded = plan.lines.map((line) => ({ ...line, amountMinor: refundOf(order, byId.get(line.lineId)!, line.quantity) }));
        const linesTotal = refunded.reduce((sum, line) => sum + line.amountMinor, 0n);
        const extraRefundMinor = plan.refundsAll ? order.totalMinor - order.refundedMinor - linesTotal : 0n;
        const updated = await orders.recordTransition(tx, {
          order,
          to: plan.refundsAll ? 'REFUNDED' : from,
          event: 'refund',
          actor: actorOf(viewer),
          reason,
          refunded,
          extraRefundMinor,
          now: now(),
        });
        return { __typename: 'OrderUpdated', order: updated } as const;
      });
    },

    /**
     * Records a refund of an amount (the payments service, after the provider's verified event; or an admin):
     * idempotent by `reference`; the order becomes `REFUNDED` once its whole total is refunded. An amount
     * beyond what is left to refund is `ValidationFailed`.
     */
    async recordRefund(viewer: Viewer | null, id: string, amountMinorUnits: string, reference: string) {
      if (!isUuid(id)) return orderNotFound();
      if (!/^[1-9][0-9]{0,18}$/.test(amountMinorUnits)) {
        return validationFailed([{ field: 'amountMinorUnits', code: 'INVALID_FORMAT', message: 'A positive integer of minor units, e.g. 1000' }]);
      }
      const amount = BigInt(amountMinorUnits);
      return db.transaction(async (tx) => {
        const locked = await orders.lock(tx, id.toLowerCase());
        if (!locked) return orderNotFound();
        const { order } = locked;
        if (await orders.hasEvent(tx, order.id, 'refund', reference)) return { __typename: 'OrderUpdated', order } as const;
        const from = order.status as OrderStatus;
        if (!REFUNDABLE.includes(from)) return illegalTransition(from, 'refund', allowedEvents(from));
        const left = order.totalMinor - order.refundedMinor;
        if (amount > left) return validationFailed([{ field: 'amountMinorUnits', code: 'OUT_OF_RANGE', message: `At most ${left} minor units are left to refund` }]);
        const updated = await orders.recordTransition(tx, { order, to: amount === left ? 'REFUNDED' : from, event: 'refund', actor: actorOf(viewer), reason: reference, extraRefundMinor: amount, now: now() });
        return { __typename: 'OrderUpdated', order: updated } as const;
      });
    },

    /** The orders service's part of account deletion (idempotent): the account's orders are detached from it. */
    async eraseAccount(viewer: Viewer) {
      await db.transaction((tx) => orders.detachUser(tx, viewer.userId));
      return { __typename: 'AccountDataErased', userId: viewer.userId } as const;
    },

    /** Cancels orders left unpaid past the payment window and gives their stock back (the job); returns how many. */
    async cancelUnpaid(windowMinutes: number, limit = 50): Promise<number> {
      let cancelled = 0;
      for (const order of await orders.unpaidOlderThan(windowMinutes, limit)) {
        const outcome = await this.cancel(null, order.id, 'The payment window closed', { actor: 'system' });
        if (outcome.__typename === 'OrderUpdated') cancelled += 1;
      }
      return cancelled;
    },
  };
}
