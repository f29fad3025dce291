import { v7 as uuidv7 } from 'uuid';
import type { PaymentRow, RefundRow } from '@meridian/db/payments';
import { checkIdempotencyKey, idempotencyKeyReused, isUuid, requestFingerprint, validationFailed, type Logger, type Viewer } from '@meridian/platform';
import type { BankAccount } from '../config.js';
import type { PaymentsDb } from '../db.js';
import type { MethodCode, PaymentGateway, VerifiedEvent } from '../gateways/payment-gateway.js';
import { illegalPaymentTransition, orderNotFound, orderNotPayable, paymentDeclined, paymentMethodUnavailable, paymentNotFound } from '../payments.errors.js';
import { offeredMethods, type MethodRule } from './payment-methods.rules.js';
import { applyChange, isCaptured, isOpen, refundable, type PaymentState, type PaymentStatus, type StateChange } from './payment-state.rules.js';
import type { PaymentsRepository } from './payments.repository.js';

/** The order as the payments service reads it through the router: with the shopper's own token, or a guest's cart token. */
export interface OrderView {
  id: string;
  status: string;
  currency: string;
  totalMinor: bigint;
  country: string | null;
}

export interface CartView {
  currency: string;
  country: string | null;
}

/** What the orders service answered to a recorded capture or refund: `cancelled` when the order was cancelled meanwhile. */
export type OrderOutcome = 'recorded' | 'refused' | 'cancelled';

export interface PaymentPorts {
  readOrder(orderId: string, accessToken: string): Promise<OrderView | null>;
  /** A guest's order, with the service's identity: null unless `cartToken` is the token of the cart it was checked out from. */
  readGuestOrder(orderId: string, cartToken: string): Promise<OrderView | null>;
  readCart(cartId: string, caller: { cartToken: string | null; userId: string | null }): Promise<CartView | null>;
  markOrderPaid(orderId: string, reference: string): Promise<OrderOutcome>;
  recordOrderRefund(orderId: string, amountMinor: bigint, reference: string): Promise<OrderOutcome>;
}

/**
 * Who pays: a signed-in shopper (the order is read with their own token, so only its owner gets it) or a guest,
 * whose proof is the token of the cart the order was checked out from.
 */
export type Payer = { kind: 'user'; userId: string; accessToken: string } | { kind: 'guest'; cartToken: string };

export type PaymentUseCases = ReturnType<typeof createPaymentUseCases>;

const ADMIN = 'admin';
const isAdmin = (viewer: Viewer | null) => viewer !== null && viewer.clientId === undefined && viewer.roles.includes(ADMIN);
/** The verified events that prove money was taken: only they make an order `PAID`. */
const CAPTURE_PROOF = ['payment_intent.succeeded', 'PAYMENT.CAPTURE.COMPLETED', 'offline.confirmed', 'refund.created', 'refund.updated', 'charge.refund.updated', 'PAYMENT.CAPTURE.REFUNDED'];

const stateOf = (payment: PaymentRow): PaymentState => ({ status: payment.status as PaymentStatus, amountMinor: payment.amountMinor, capturedMinor: payment.capturedMinor, refundedMinor: payment.refundedMinor });

/**
 * Payments: every money movement is recorded before the provider is asked (with its idempotency key, and the
 * payment's id in the provider's metadata), so that an answer lost to a crash is recovered from the provider's
 * event. Provider events are verified, applied once (`payments.provider_events`) through the state machine of
 * payment-state.rules.ts, and only they tell the orders service an order was paid or refunded.
 */
export function createPaymentUseCases(deps: {
  db: PaymentsDb;
  payments: PaymentsRepository;
  gateways: ReadonlyMap<MethodCode, PaymentGateway>;
  ports: PaymentPorts;
  methodRules: readonly MethodRule[];
  bankAccount: BankAccount | undefined;
  log: Logger;
  fault?: (step: 'after-provider-call') => Promise<void>;
}) {
  const { db, payments, gateways, ports, log } = deps;
  const configured = new Set(gateways.keys());

  const mayRead = (viewer: Viewer | null, payment: PaymentRow) => isAdmin(viewer) || (viewer !== null && viewer.clientId === undefined && payment.ownerId === viewer.userId);

  async function transition(paymentId: string, change: StateChange, extra: Partial<PaymentRow> = {}): Promise<PaymentRow | null> {
    return db.transaction(async (tx) => {
      const payment = await payments.lock(tx, paymentId);
      if (!payment) return null;
      const next = applyChange(stateOf(payment), change);
      if (!next && Object.keys(extra).length === 0) return payment;
      return payments.update(tx, paymentId, { ...extra, ...(next ? { status: next.status, capturedMinor: next.capturedMinor, refundedMinor: next.refundedMinor } : {}) });
    });
  }

  /** Tells the orders service what verified events settled and it has not recorded yet; idempotent by reference, so safe to repeat. */
  async function syncOrder(paymentId: string): Promise<void> {
    const [payment] = await payments.byIds([paymentId]);
    if (!payment) return;
    if (isCaptured(payment.status as PaymentStatus) && !payment.orderPaidReported) {
      if (!(await payments.hasEventOfType(db, payment.id, CAPTURE_PROOF))) return;
      const outcome = await ports.markOrderPaid(payment.orderId, payment.id);
      // The payment window closed before the money arrived: all of it goes back. Reported only once the refund is asked
      // for, so a failure here is retried by the sync job, with the same key.
      if (outcome === 'cancelled') await refundForCancelledOrder(payment);
      if (outcome === 'refused') log.error({ paymentId: payment.id, orderId: payment.orderId }, 'the orders service refused a captured payment');
      await payments.update(db, payment.id, { orderPaidReported: true });
    }
    const settled = (await payments.refundsOf([payment.id])).filter((refund) => refund.status === 'succeeded' && !refund.orderReported);
    for (const refund of settled) {
      // A cancelled order was never paid: its automatic refund has nothing to record there.
      if (refund.reason === 'order_cancelled') {
        await payments.updateRefund(db, refund.id, { orderReported: true });
        continue;
      }
      const outcome = await ports.recordOrderRefund(payment.orderId, refund.amountMinor, refund.id);
      if (outcome === 'refused') log.error({ paymentId: payment.id, refundId: refund.id }, 'the orders service refused a settled refund');
      await payments.updateRefund(db, refund.id, { orderReported: true });
    }
  }

  /** Asks the provider for a recorded refund (once: the key goes with it) and writes its answer; the refund as it is now. */
  async function askRefund(gateway: PaymentGateway, payment: PaymentRow, refund: RefundRow, idempotencyKey: string): Promise<RefundRow> {
    if (refund.status !== 'pending' || refund.providerRef || !payment.providerRef) return refund;
    const answer = await gateway.refund({ providerRef: payment.providerRef, captureRef: payment.captureRef, amountMinor: refund.amountMinor, currency: payment.currency, idempotencyKey, paymentId: payment.id, refundId: refund.id });
    if (answer.settled) {
      // No provider (a bank transfer paid back by hand): the request is the event.
      await db.transaction(async (tx) => {
        await payments.recordEvent(tx, { provider: 'offline', eventId: `refund:${refund.id}`, type: 'offline.refunded', paymentId: payment.id });
        await payments.updateRefund(tx, refund.id, { status: 'succeeded' });
      });
      const totals = await payments.refundTotals(db, payment.id);
      await transition(payment.id, { kind: 'refunds', refundedMinor: totals.succeeded });
      await trySync(payment.id);
    } else if (answer.providerRefundId) {
      // The webhook may have come first and settled it: only the reference is added.
      await payments.updateRefund(db, refund.id, { providerRef: answer.providerRefundId }).catch(() => undefined);
    }
    return (await payments.refundsOf([payment.id])).find((row) => row.id === refund.id) ?? refund;
  }

  /**
   * A payment captured after its order was cancelled (the payment window closed first): what is left of it goes
   * back through its gateway. The key is derived from the payment, and one such refund per payment is all the
   * table allows, so replays of the capture, the sync job and concurrent deliveries never refund twice.
   */
  async function refundForCancelledOrder(captured: PaymentRow): Promise<void> {
    const idempotencyKey = `order-cancelled:${captured.id}`;
    const planned = await db.transaction(async (tx) => {
      const payment = (await payments.lock(tx, captured.id))!;
      const existing = await payments.refundByKey(tx, idempotencyKey);
      if (existing) return { payment, refund: existing };
      const totals = await payments.refundTotals(tx, payment.id);
      const left = refundable(stateOf(payment), totals.pending);
      if (left <= 0n) return null;
      const { refund } = await payments.insertRefundOnce(tx, { id: uuidv7(), paymentId: payment.id, amountMinor: left, idempotencyKey, fingerprint: 'order_cancelled', reason: 'order_cancelled' });
      return { payment, refund };
    });
    if (!planned) return;
    log.warn({ paymentId: captured.id, orderId: captured.orderId, refundId: planned.refund.id }, 'a payment was captured after its order was cancelled: refunded in full');
    const gateway = gateways.get(captured.method as MethodCode);
    if (gateway) await askRefund(gateway, planned.payment, planned.refund, idempotencyKey);
  }

  async function trySync(paymentId: string) {
    try {
      await syncOrder(paymentId);
    } catch (error) {
      // The job sends it again: the event is recorded, the order follows.
      log.warn({ err: error, paymentId }, 'the order could not be told about a payment now; the sync job retries');
    }
  }

  async function changeable(viewer: Viewer | null, paymentId: string, idempotencyKey: string) {
    const keyProblem = checkIdempotencyKey(idempotencyKey);
    if (keyProblem) return { error: validationFailed([keyProblem]) } as const;
    if (!isUuid(paymentId)) return { error: paymentNotFound() } as const;
    const [payment] = await payments.byIds([paymentId.toLowerCase()]);
    if (!payment || !isAdmin(viewer)) return { error: paymentNotFound() } as const;
    return { payment, gateway: gateways.get(payment.method as MethodCode) } as const;
  }

  const updated = (payment: PaymentRow) => ({ __typename: 'PaymentUpdated', payment }) as const;

  return {
    byIds: async (ids: readonly string[]) => {
      const rows = await payments.byIds(ids.filter(isUuid).map((id) => id.toLowerCase()));
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
    },
    refundsOf: async (ids: readonly string[]) => {
      const rows = await payments.refundsOf(ids);
      return ids.map((id) => rows.filter((row) => row.paymentId === id));
    },

    /** A payment's refunds, oldest first, with its currency. */
    async refundsWithCurrency(payment: PaymentRow, load: (id: string) => Promise<RefundRow[]>) {
      return (await load(payment.id)).map((refund) => ({ ...refund, currency: payment.currency }));
    },

    find: (viewer: Viewer | null, payment: PaymentRow | null) => (payment && mayRead(viewer, payment) ? payment : null),

    /** The payments of these orders, by order (the loader behind `Order.payments`): one statement. */
    async ofOrders(orderIds: readonly string[]): Promise<PaymentRow[][]> {
      const rows = await payments.ofOrders(orderIds.filter(isUuid).map((id) => id.toLowerCase()));
      return orderIds.map((id) => rows.filter((row) => row.orderId === id.toLowerCase()));
    },

    /** `Order.payments`: the order's payments its owner or an admin may read. */
    async ofOrder(viewer: Viewer | null, orderId: string, load: (id: string) => Promise<PaymentRow[]>): Promise<PaymentRow[]> {
      if (viewer === null) return [];
      return (await load(orderId)).filter((payment) => mayRead(viewer, payment));
    },

    bankTransfer(payment: PaymentRow) {
      if (payment.method !== 'bank_transfer' || !deps.bankAccount || !payment.providerRef) return null;
      return { ...deps.bankAccount, reference: payment.providerRef, amountMinor: payment.amountMinor, currency: payment.currency };
    },

    async availableMethods(viewer: Viewer | null, cartId: string, cartToken: string | null) {
      if (!isUuid(cartId)) return [];
      const cart = await ports.readCart(cartId, { cartToken, userId: viewer && viewer.clientId === undefined ? viewer.userId : null });
      if (!cart) return [];
      return offeredMethods(deps.methodRules, configured, cart.country, cart.currency).map((method) => ({ method, provider: gateways.get(method)!.provider }));
    },

    async payOrder(
      payer: Payer,
      args: { orderId: string; method: MethodCode; idempotencyKey: string; paymentMethodToken?: string | null; returnUrl?: string | null },
    ) {
      const keyProblem = checkIdempotencyKey(args.idempotencyKey);
      if (keyProblem) return validationFailed([keyProblem]);
      if (args.returnUrl && !/^https?:\/\//.test(args.returnUrl)) return validationFailed([{ field: 'returnUrl', code: 'INVALID_FORMAT', message: 'An absolute http(s) URL' }]);
      if (args.paymentMethodToken && !/^pm_[A-Za-z0-9_]{1,200}$/.test(args.paymentMethodToken)) {
        // A provider token, never card data: anything else is refused before it could be stored or logged.
        return validationFailed([{ field: 'paymentMethodToken', code: 'INVALID_FORMAT', message: 'A Stripe PaymentMethod id (pm_…), made by Stripe.js' }]);
      }
      const { method } = args;
      if (!isUuid(args.orderId)) return orderNotFound();
      // A wrong cart token reads exactly like an unknown order: nothing tells a guest's order exists.
      const order = payer.kind === 'user' ? await ports.readOrder(args.orderId.toLowerCase(), payer.accessToken) : await ports.readGuestOrder(args.orderId.toLowerCase(), payer.cartToken);
      if (!order) return orderNotFound();
      const gateway = gateways.get(method);
      if (!gateway || !offeredMethods(deps.methodRules, configured, order.country, order.currency).includes(method)) return paymentMethodUnavailable();
      const fingerprint = requestFingerprint({ orderId: order.id, method, token: args.paymentMethodToken ?? null, returnUrl: args.returnUrl ?? null, payer: payer.kind === 'user' ? payer.userId : { cartToken: payer.cartToken } });
      if (order.status !== 'PENDING_PAYMENT') {
        // A retry of the payment that paid it answers that payment; anything else is refused before anything is written.
        const earlier = await payments.byIdempotencyKey(args.idempotencyKey);
        if (!earlier || earlier.fingerprint !== fingerprint) return orderNotPayable(order.status);
      }
      const { created, payment } = await payments.insertOnce({
        orderId: order.id,
        // A guest's payment has no owner, as a guest's order has none: admins read it.
        ownerId: payer.kind === 'user' ? payer.userId : null,
        method,
        currency: order.currency,
        amountMinor: order.totalMinor,
        idempotencyKey: args.idempotencyKey,
        fingerprint,
      });
      if (payment.fingerprint !== fingerprint) return idempotencyKeyReused();
      if (!created && payment.status !== 'created') {
        return payment.status === 'failed' ? paymentDeclined(payment, payment.failureCode) : ({ __typename: 'PaymentStarted', payment } as const);
      }

      // Recorded first: the provider's event finds the payment by the id in its metadata, whatever happens next.
      const outcome = await gateway.start({
        paymentId: payment.id,
        orderId: order.id,
        amountMinor: payment.amountMinor,
        currency: payment.currency,
        idempotencyKey: args.idempotencyKey,
        paymentMethodToken: args.paymentMethodToken ?? undefined,
        returnUrl: args.returnUrl ?? undefined,
      });
      await deps.fault?.('after-provider-call');
      if (outcome.kind === 'declined') {
        const failed = await transition(payment.id, { kind: 'failed' }, { failureCode: outcome.declineCode, ...(outcome.providerRef ? { providerRef: outcome.providerRef } : {}) });
        return paymentDeclined(failed!, outcome.declineCode);
      }
      const change: StateChange = outcome.status === 'captured' ? { kind: 'captured', amountMinor: payment.amountMinor } : outcome.status === 'authorized' ? { kind: 'authorized' } : { kind: 'requires_action' };
      const started = await transition(payment.id, change, { providerRef: outcome.providerRef, clientSecret: outcome.clientSecret ?? null, approvalUrl: outcome.approvalUrl ?? null });
      await trySync(payment.id);
      return { __typename: 'PaymentStarted', payment: started! } as const;
    },

    /** A verified provider event: applied once, through the state machine; then the order follows. */
    async applyEvent(provider: 'stripe' | 'paypal', event: VerifiedEvent): Promise<'applied' | 'duplicate' | 'ignored'> {
      const gateway = [...gateways.values()].find((candidate) => candidate.provider === provider)!;
      const result = await db.transaction(async (tx) => {
        let payment = event.paymentId && isUuid(event.paymentId) ? await payments.lock(tx, event.paymentId.toLowerCase()) : null;
        if (!payment && event.providerRef) payment = await payments.lockByProviderRef(tx, gateway.method, event.providerRef);
        // Not Meridian's (another system on the same account), or not recorded yet: nothing is remembered, a redelivery is looked at again.
        if (!payment) return { outcome: 'ignored' as const };
        if (!(await payments.recordEvent(tx, { provider, eventId: event.eventId, type: event.type, paymentId: payment.id }))) return { outcome: 'duplicate' as const };
        // A process that died between the provider's answer and its own write left no reference: the event brings it.
        const extra: Partial<PaymentRow> = payment.providerRef || !event.providerRef ? {} : { providerRef: event.providerRef };
        const change = event.change;
        let next = stateOf(payment);
        if (change?.kind === 'refunded') {
          let refund = await payments.findRefund(tx, payment.id, change.refundId, change.providerRefundId);
          if (!refund) {
            refund = (
              await payments.insertRefundOnce(tx, { id: uuidv7(), paymentId: payment.id, amountMinor: change.amountMinor, idempotencyKey: `${provider}:${change.providerRefundId}`, fingerprint: 'provider', reason: 'provider', providerRef: change.providerRefundId })
            ).refund;
          }
          // A settled refund stays settled: a late `pending` does not undo it.
          if (refund.status !== 'succeeded') await payments.updateRefund(tx, refund.id, { status: change.status, providerRef: change.providerRefundId });
          const totals = await payments.refundTotals(tx, payment.id);
          next = applyChange(next, { kind: 'refunds', refundedMinor: totals.succeeded }) ?? next;
        } else if (change && change.kind !== 'approved') {
          const mapped: StateChange = change.kind === 'captured' ? { kind: 'captured', amountMinor: change.amountMinor } : change.kind === 'authorized' ? { kind: 'authorized' } : change.kind === 'failed' ? { kind: 'failed' } : { kind: 'cancelled' };
          next = applyChange(next, mapped) ?? next;
          if (change.kind === 'captured' && change.captureRef) extra.captureRef = change.captureRef;
          if (change.kind === 'failed' && next.status === 'failed') extra.failureCode = change.code;
        }
        const saved = await payments.update(tx, payment.id, { ...extra, status: next.status, capturedMinor: next.capturedMinor, refundedMinor: next.refundedMinor });
        return { outcome: 'applied' as const, payment: saved, approved: change?.kind === 'approved' };
      });
      if (result.outcome !== 'applied') return result.outcome;
      const payment = result.payment;
      if (result.approved && isOpen(payment.status as PaymentStatus) && payment.providerRef) {
        // PayPal: the shopper approved; the capture's own key makes a redelivered approval capture once.
        await gateway.capture({ providerRef: payment.providerRef, amountMinor: payment.amountMinor, currency: payment.currency, idempotencyKey: `${payment.id}:capture`, paymentId: payment.id });
      }
      await trySync(payment.id);
      return 'applied';
    },

    async capture(viewer: Viewer | null, paymentId: string, idempotencyKey: string) {
      const found = await changeable(viewer, paymentId, idempotencyKey);
      if ('error' in found) return found.error!;
      const { payment, gateway } = found;
      if (isCaptured(payment.status as PaymentStatus)) return updated(payment);
      if (payment.status !== 'authorized' || !payment.providerRef || !gateway) return illegalPaymentTransition(payment.status as PaymentStatus, 'captured');
      await gateway.capture({ providerRef: payment.providerRef, amountMinor: payment.amountMinor, currency: payment.currency, idempotencyKey, paymentId: payment.id });
      return updated(payment);
    },

    async cancel(viewer: Viewer | null, paymentId: string, idempotencyKey: string) {
      const found = await changeable(viewer, paymentId, idempotencyKey);
      if ('error' in found) return found.error!;
      const { payment, gateway } = found;
      if (payment.status === 'cancelled') return updated(payment);
      if (!isOpen(payment.status as PaymentStatus) || !gateway) return illegalPaymentTransition(payment.status as PaymentStatus, 'cancelled');
      if (payment.providerRef) await gateway.cancel({ providerRef: payment.providerRef, currency: payment.currency, idempotencyKey, paymentId: payment.id });
      return updated((await transition(payment.id, { kind: 'cancelled' }))!);
    },

    async refund(viewer: Viewer | null, paymentId: string, amount: string | null | undefined, idempotencyKey: string) {
      const found = await changeable(viewer, paymentId, idempotencyKey);
      if ('error' in found) return found.error!;
      const { gateway } = found;
      if (amount != null && !/^[1-9][0-9]{0,18}$/.test(amount)) return validationFailed([{ field: 'amount', code: 'INVALID_FORMAT', message: 'A positive integer of minor units, e.g. 1000' }]);
      const fingerprint = requestFingerprint({ paymentId: found.payment.id, amount: amount ?? null });
      // Under the payment's lock: concurrent refunds of one payment queue, and never give back more than was taken.
      const planned = await db
        .transaction(async (tx) => {
          const payment = (await payments.lock(tx, found.payment.id))!;
          const existing = await payments.refundByKey(tx, idempotencyKey);
          if (existing) return existing.fingerprint === fingerprint ? { payment, refund: existing } : { error: idempotencyKeyReused() };
          const totals = await payments.refundTotals(tx, payment.id);
          const left = refundable(stateOf(payment), totals.pending);
          if (left <= 0n) return { error: illegalPaymentTransition(payment.status as PaymentStatus, 'refunded') };
          const wanted = amount == null ? left : BigInt(amount);
          if (wanted > left) return { error: validationFailed([{ field: 'amount', code: 'OUT_OF_RANGE', message: `At most ${left} minor units are left to refund` }]) };
          const { refund } = await payments.insertRefundOnce(tx, { id: uuidv7(), paymentId: payment.id, amountMinor: wanted, idempotencyKey, fingerprint });
          return { payment, refund };
        });
      if ('error' in planned) return planned.error!;
      const { payment } = planned;
      const refund = gateway ? await askRefund(gateway, payment, planned.refund, idempotencyKey) : planned.refund;
      const [current] = await payments.byIds([payment.id]);
      return { __typename: 'RefundRequested', payment: current!, refund: { ...refund, currency: payment.currency } } as const;
    },

    async confirmOffline(viewer: Viewer | null, paymentId: string, idempotencyKey: string) {
      const found = await changeable(viewer, paymentId, idempotencyKey);
      if ('error' in found) return found.error!;
      const { payment } = found;
      if (payment.method !== 'bank_transfer') return illegalPaymentTransition(payment.status as PaymentStatus, 'confirmed offline');
      if (!isCaptured(payment.status as PaymentStatus)) {
        if (!isOpen(payment.status as PaymentStatus)) return illegalPaymentTransition(payment.status as PaymentStatus, 'confirmed');
        await db.transaction(async (tx) => {
          await payments.lock(tx, payment.id);
          await payments.recordEvent(tx, { provider: 'offline', eventId: `confirm:${payment.id}`, type: 'offline.confirmed', paymentId: payment.id });
        });
        await transition(payment.id, { kind: 'captured', amountMinor: payment.amountMinor });
      }
      await trySync(payment.id);
      const [current] = await payments.byIds([payment.id]);
      return updated(current!);
    },

    /** The sync job: what the orders service has not recorded yet, sent again. */
    async syncPending(limit = 50): Promise<number> {
      const pending = await payments.unreported(limit);
      const ids = new Set([...pending.payments.map((payment) => payment.id), ...pending.refunds.map((refund) => refund.paymentId)]);
      for (const id of ids) await trySync(id);
      return ids.size;
    },
  };
}

export type { RefundRow };
