import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import { close, fixture, listen, post, randomId, type Delivery, type Reply, type SignedWebhook } from './stand-in.http.js';

/**
 * A loopback stand-in for the parts of Stripe's API Meridian uses (PaymentIntents, refunds, events), answering
 * with bodies recorded from Stripe's API reference (fixtures/stripe.*.json), honouring `Idempotency-Key` as
 * Stripe does (the first answer is replayed), and sending webhooks signed with Stripe's scheme:
 * `Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "t.body" with the endpoint's secret>`.
 * Stripe's test PaymentMethods: `pm_card_visa` succeeds, `pm_card_chargeDeclined` is declined.
 */
export interface StripeStandIn {
  url: string;
  secretKey: string;
  webhookSecret: string;
  /** Where webhooks go (the payments service's `/webhooks/stripe`). */
  setWebhookUrl(url: string): void;
  setDelivery(delivery: Delivery): void;
  /** Every event made so far, oldest first. */
  events(): StripeEvent[];
  /** The PaymentIntents made, by id (how many were made for one payment: "one capture"). */
  intents(): Map<string, Record<string, unknown>>;
  /** An event signed as Stripe signs it (with another secret: a forged one). */
  sign(event: StripeEvent, options?: { secret?: string; timestamp?: number }): SignedWebhook;
  /** Sends an event to the webhook URL; the receiver's HTTP status. */
  deliver(event: StripeEvent, options?: { secret?: string }): Promise<number>;
  close(): Promise<void>;
}

export type StripeEvent = { id: string; type: string; data: { object: Record<string, unknown> } } & Record<string, unknown>;

/** `a[b][c]=v` form fields, as the Stripe SDK encodes them, into an object. */
function parseForm(body: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, '').split('[');
    let target = out as Record<string, unknown>;
    for (const part of path.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
    target[path.at(-1)!] = value;
  }
  return out;
}

export function stripeSignature(body: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export async function startStripeStandIn(options: { secretKey?: string; webhookSecret?: string; webhookUrl?: string; delivery?: Delivery } = {}): Promise<StripeStandIn> {
  const secretKey = options.secretKey ?? `sk_test_standin_${randomId(24)}`;
  const webhookSecret = options.webhookSecret ?? `whsec_${randomId(32)}`;
  let webhookUrl = options.webhookUrl;
  let delivery: Delivery = options.delivery ?? 'before-response';
  const intents = new Map<string, Record<string, unknown>>();
  const refunds = new Map<string, Record<string, unknown>>();
  const events: StripeEvent[] = [];
  const replies = new Map<string, Reply>();

  const sign = (event: StripeEvent, signing: { secret?: string; timestamp?: number } = {}): SignedWebhook => {
    const body = JSON.stringify(event);
    return { body, headers: { 'stripe-signature': stripeSignature(body, signing.secret ?? webhookSecret, signing.timestamp) } };
  };
  const deliver = async (event: StripeEvent, signing: { secret?: string } = {}) => (webhookUrl ? post(webhookUrl, sign(event, signing)) : 0);

  function emit(type: string, object: Record<string, unknown>, idempotencyKey: string | null): StripeEvent {
    const event = { ...fixture<StripeEvent>('stripe.event'), id: `evt_${randomId(24)}`, created: Math.floor(Date.now() / 1000), type, data: { object: structuredClone(object) }, request: { id: `req_${randomId(14)}`, idempotency_key: idempotencyKey } };
    events.push(event);
    return event;
  }

  const error = (status: number, type: string, message: string, extra: Record<string, unknown> = {}): Reply => ({ status, body: { error: { type, message, ...extra } } });

  async function route(method: string, path: string, form: Record<string, unknown>, idempotencyKey: string | null): Promise<{ reply: Reply; emitted: StripeEvent[] }> {
    const emitted: StripeEvent[] = [];
    const intentOf = (id: string) => intents.get(id);
    if (method === 'POST' && path === '/v1/payment_intents') {
      const id = `pi_${randomId(24)}`;
      const intent: Record<string, unknown> = {
        ...fixture('stripe.payment_intent'),
        id,
        amount: Number(form.amount),
        currency: String(form.currency),
        capture_method: form.capture_method ?? 'automatic',
        client_secret: `${id}_secret_${randomId(25)}`,
        created: Math.floor(Date.now() / 1000),
        metadata: form.metadata ?? {},
        payment_method: form.payment_method ?? null,
      };
      intents.set(id, intent);
      if (form.confirm === 'true' && form.payment_method) {
        if (form.payment_method === 'pm_card_chargeDeclined') {
          intent.status = 'requires_payment_method';
          intent.last_payment_error = { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.', type: 'card_error' };
          emitted.push(emit('payment_intent.payment_failed', intent, idempotencyKey));
          const body = fixture<{ error: Record<string, unknown> }>('stripe.error.card_declined');
          body.error.payment_intent = structuredClone(intent);
          return { reply: { status: 402, body }, emitted };
        }
        if (form.payment_method !== 'pm_card_visa') return { reply: error(400, 'invalid_request_error', `No such PaymentMethod: '${String(form.payment_method)}'`, { code: 'resource_missing', param: 'payment_method' }), emitted };
        if (intent.capture_method === 'manual') {
          intent.status = 'requires_capture';
          intent.amount_capturable = intent.amount;
          emitted.push(emit('payment_intent.amount_capturable_updated', intent, idempotencyKey));
        } else {
          intent.status = 'succeeded';
          intent.amount_received = intent.amount;
          intent.latest_charge = `ch_${randomId(24)}`;
          emitted.push(emit('payment_intent.succeeded', intent, idempotencyKey));
        }
      }
      return { reply: { status: 200, body: intent }, emitted };
    }
    const action = /^\/v1\/payment_intents\/(pi_[A-Za-z0-9]+)\/(capture|cancel)$/.exec(path);
    if (method === 'POST' && action) {
      const intent = intentOf(action[1]!);
      if (!intent) return { reply: error(404, 'invalid_request_error', `No such payment_intent: '${action[1]}'`, { code: 'resource_missing' }), emitted };
      if (action[2] === 'capture') {
        if (intent.status !== 'requires_capture') return { reply: error(400, 'invalid_request_error', `This PaymentIntent could not be captured because it has a status of ${String(intent.status)}.`, { code: 'payment_intent_unexpected_state' }), emitted };
        intent.status = 'succeeded';
        intent.amount_received = form.amount_to_capture ? Number(form.amount_to_capture) : intent.amount;
        intent.amount_capturable = 0;
        intent.latest_charge = `ch_${randomId(24)}`;
        emitted.push(emit('payment_intent.succeeded', intent, idempotencyKey));
      } else {
        if (intent.status === 'succeeded' || intent.status === 'canceled') return { reply: error(400, 'invalid_request_error', `You cannot cancel this PaymentIntent because it has a status of ${String(intent.status)}.`, { code: 'payment_intent_unexpected_state' }), emitted };
        intent.status = 'canceled';
        intent.canceled_at = Math.floor(Date.now() / 1000);
        intent.cancellation_reason = 'requested_by_customer';
        emitted.push(emit('payment_intent.canceled', intent, idempotencyKey));
      }
      return { reply: { status: 200, body: intent }, emitted };
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intent = intentOf(String(form.payment_intent));
      if (!intent) return { reply: error(404, 'invalid_request_error', `No such payment_intent: '${String(form.payment_intent)}'`, { code: 'resource_missing' }), emitted };
      const refunded = [...refunds.values()].filter((refund) => refund.payment_intent === intent.id).reduce((sum, refund) => sum + Number(refund.amount), 0);
      const amount = form.amount ? Number(form.amount) : Number(intent.amount_received) - refunded;
      if (intent.status !== 'succeeded' || amount > Number(intent.amount_received) - refunded) {
        return { reply: error(400, 'invalid_request_error', `Refund amount (${amount}) is greater than unrefunded amount on charge (${Number(intent.amount_received) - refunded})`, { code: 'amount_too_large' }), emitted };
      }
      const refund = { ...fixture('stripe.refund'), id: `re_${randomId(24)}`, amount, charge: intent.latest_charge, created: Math.floor(Date.now() / 1000), currency: intent.currency, metadata: form.metadata ?? {}, payment_intent: intent.id, status: 'succeeded' };
      refunds.set(refund.id, refund);
      emitted.push(emit('refund.created', refund, idempotencyKey));
      return { reply: { status: 200, body: refund }, emitted };
    }
    const read = /^\/v1\/payment_intents\/(pi_[A-Za-z0-9]+)$/.exec(path);
    if (method === 'GET' && read) {
      const intent = intentOf(read[1]!);
      return { reply: intent ? { status: 200, body: intent } : error(404, 'invalid_request_error', `No such payment_intent: '${read[1]}'`, { code: 'resource_missing' }), emitted };
    }
    return { reply: error(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}).`), emitted };
  }

  const { server, url } = await listen(async (request) => {
    if (request.headers.authorization !== `Bearer ${secretKey}`) {
      return error(401, 'invalid_request_error', 'Invalid API Key provided.');
    }
    const idempotencyKey = (request.headers['idempotency-key'] as string | undefined) ?? null;
    const cacheKey = idempotencyKey ? `${request.method} ${request.path} ${idempotencyKey}` : null;
    const replayed = cacheKey ? replies.get(cacheKey) : undefined;
    if (replayed) return { ...replayed, headers: { ...replayed.headers, 'idempotent-replayed': 'true' } };
    const { reply, emitted } = await route(request.method, request.path, parseForm(request.body), idempotencyKey);
    const answered = { ...reply, headers: { 'request-id': `req_${randomId(14)}`, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) } };
    if (cacheKey && reply.status !== 401) replies.set(cacheKey, answered);
    if (delivery === 'before-response') for (const event of emitted) await deliver(event);
    else if (delivery === 'after-response') setImmediate(() => void Promise.all(emitted.map((event) => deliver(event))));
    return answered;
  });

  return {
    url,
    secretKey,
    webhookSecret,
    setWebhookUrl: (next) => {
      webhookUrl = next;
    },
    setDelivery: (next) => {
      delivery = next;
    },
    events: () => [...events],
    intents: () => new Map(intents),
    sign,
    deliver,
    close: () => close(server as Server),
  };
}
