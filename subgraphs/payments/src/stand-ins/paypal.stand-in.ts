import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import { close, fixture, listen, post, randomId, type Delivery, type Reply, type SignedWebhook } from './stand-in.http.js';

/**
 * A loopback stand-in for PayPal's REST API as Meridian uses it (OAuth client credentials, Orders v2 create and
 * capture, Payments v2 refunds, and `verify-webhook-signature`), answering with bodies recorded from PayPal's API
 * reference (fixtures/paypal.*.json) and honouring `PayPal-Request-Id` as PayPal does (the first answer is
 * replayed). `GET /checkoutnow?token=<order>` stands for the payer approving on PayPal's page: the order is
 * approved, `CHECKOUT.ORDER.APPROVED` is sent, and the browser goes back to the order's return URL.
 *
 * Webhooks carry PayPal's transmission headers. PayPal signs them with a certificate; the stand-in signs with an
 * HMAC of its own, and its `verify-webhook-signature` (which Meridian asks, as it asks PayPal) checks it.
 */
export interface PayPalStandIn {
  url: string;
  clientId: string;
  clientSecret: string;
  webhookId: string;
  setWebhookUrl(url: string): void;
  setDelivery(delivery: Delivery): void;
  events(): PayPalEvent[];
  orders(): Map<string, Record<string, unknown>>;
  /** How many captures were made. */
  captures(): number;
  sign(event: PayPalEvent, options?: { forged?: boolean }): SignedWebhook;
  deliver(event: PayPalEvent, options?: { forged?: boolean }): Promise<number>;
  /** The payer approves the order (as `GET /checkoutnow` does); the return URL. */
  approve(orderId: string): Promise<string | null>;
  close(): Promise<void>;
}

export type PayPalEvent = { id: string; event_type: string; resource: Record<string, unknown> } & Record<string, unknown>;

export async function startPayPalStandIn(options: { clientId?: string; clientSecret?: string; webhookId?: string; webhookUrl?: string; delivery?: Delivery } = {}): Promise<PayPalStandIn> {
  const clientId = options.clientId ?? `standin-${randomId(20)}`;
  const clientSecret = options.clientSecret ?? randomId(40);
  const webhookId = options.webhookId ?? randomId(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
  // The stand-in's own signing key (PayPal's is a certificate): never leaves the process.
  const signingKey = randomId(32);
  let webhookUrl = options.webhookUrl;
  let delivery: Delivery = options.delivery ?? 'before-response';
  const tokens = new Set<string>();
  const orders = new Map<string, Record<string, unknown>>();
  const captureIds = new Map<string, { orderId: string; amount: { value: string; currency_code: string }; customId: string; refunded: number }>();
  const events: PayPalEvent[] = [];
  const replies = new Map<string, Reply>();
  let base = '';

  const signature = (transmissionId: string, time: string, body: string) => createHmac('sha256', signingKey).update(`${transmissionId}|${time}|${webhookId}|${createHash('sha256').update(body).digest('hex')}`).digest('base64');
  const sign = (event: PayPalEvent, signing: { forged?: boolean } = {}): SignedWebhook => {
    const body = JSON.stringify(event);
    const transmissionId = randomUUID();
    const time = new Date().toISOString();
    const sig = signing.forged ? createHmac('sha256', 'not the key').update(body).digest('base64') : signature(transmissionId, time, body);
    return {
      body,
      headers: {
        'paypal-auth-algo': 'SHA256withRSA',
        'paypal-cert-url': `${base}/v1/notifications/certs/CERT-360caa42-fca2a594-standin`,
        'paypal-transmission-id': transmissionId,
        'paypal-transmission-sig': sig,
        'paypal-transmission-time': time,
      },
    };
  };
  const deliver = async (event: PayPalEvent, signing: { forged?: boolean } = {}) => (webhookUrl ? post(webhookUrl, sign(event, signing)) : 0);

  function emit(type: string, resourceType: string, resource: Record<string, unknown>): PayPalEvent {
    const event = { ...fixture<PayPalEvent>('paypal.webhook_event'), id: `WH-${randomId(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`, create_time: new Date().toISOString(), event_type: type, resource_type: resourceType, summary: type, resource: structuredClone(resource) };
    events.push(event);
    return event;
  }

  const issue = (status: number, name: string, message: string, issueCode?: string): Reply => ({
    status,
    body: { name, message, debug_id: randomId(13, 'abcdef0123456789'), ...(issueCode ? { details: [{ issue: issueCode, description: message }] } : {}), links: [] },
  });

  async function sendAll(emitted: PayPalEvent[]) {
    if (delivery === 'before-response') for (const event of emitted) await deliver(event);
    else if (delivery === 'after-response') setImmediate(() => void Promise.all(emitted.map((event) => deliver(event))));
  }

  async function approve(orderId: string): Promise<string | null> {
    const order = orders.get(orderId);
    if (!order) return null;
    if (order.status === 'PAYER_ACTION_REQUIRED' || order.status === 'CREATED') {
      order.status = 'APPROVED';
      await sendAll([emit('CHECKOUT.ORDER.APPROVED', 'checkout-order', order)]);
    }
    return (order.return_url as string | undefined) ?? null;
  }

  async function route(method: string, path: string, body: Record<string, unknown>): Promise<{ reply: Reply; emitted: PayPalEvent[] }> {
    const emitted: PayPalEvent[] = [];
    if (method === 'POST' && path === '/v2/checkout/orders') {
      const id = randomId(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
      const units = (body.purchase_units as Record<string, unknown>[] | undefined) ?? [];
      const experience = ((body.payment_source as { paypal?: { experience_context?: { return_url?: string } } } | undefined)?.paypal?.experience_context ?? {}) as { return_url?: string };
      const order: Record<string, unknown> = {
        ...fixture('paypal.order'),
        id,
        intent: body.intent,
        purchase_units: units,
        create_time: new Date().toISOString(),
        links: [
          { href: `${base}/v2/checkout/orders/${id}`, rel: 'self', method: 'GET' },
          { href: `${base}/checkoutnow?token=${id}`, rel: 'payer-action', method: 'GET' },
        ],
      };
      orders.set(id, order);
      // Kept beside the order, not in PayPal's answer.
      Object.defineProperty(order, 'return_url', { value: experience.return_url, enumerable: false });
      return { reply: { status: 200, body: order }, emitted };
    }
    const capture = /^\/v2\/checkout\/orders\/([A-Z0-9]+)\/capture$/.exec(path);
    if (method === 'POST' && capture) {
      const order = orders.get(capture[1]!);
      if (!order) return { reply: issue(404, 'RESOURCE_NOT_FOUND', 'The specified resource does not exist.', 'INVALID_RESOURCE_ID'), emitted };
      if (order.status !== 'APPROVED') return { reply: issue(422, 'UNPROCESSABLE_ENTITY', 'The requested action could not be performed, semantically incorrect, or failed business validation.', order.status === 'COMPLETED' ? 'ORDER_ALREADY_CAPTURED' : 'ORDER_NOT_APPROVED'), emitted };
      const unit = (order.purchase_units as { amount: { value: string; currency_code: string }; custom_id?: string; reference_id?: string }[])[0]!;
      const captured = fixture<Record<string, unknown> & { purchase_units: { payments: { captures: Record<string, unknown>[] } }[] }>('paypal.order.captured');
      const captureId = randomId(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
      const resource = {
        ...captured.purchase_units[0]!.payments.captures[0]!,
        id: captureId,
        amount: unit.amount,
        custom_id: unit.custom_id ?? '',
        create_time: new Date().toISOString(),
        update_time: new Date().toISOString(),
        supplementary_data: { related_ids: { order_id: order.id } },
        links: [
          { href: `${base}/v2/payments/captures/${captureId}`, rel: 'self', method: 'GET' },
          { href: `${base}/v2/payments/captures/${captureId}/refund`, rel: 'refund', method: 'POST' },
        ],
      };
      captureIds.set(captureId, { orderId: order.id as string, amount: unit.amount, customId: unit.custom_id ?? '', refunded: 0 });
      order.status = 'COMPLETED';
      const answer = { ...captured, id: order.id, purchase_units: [{ reference_id: unit.reference_id, payments: { captures: [resource] } }], links: [{ href: `${base}/v2/checkout/orders/${String(order.id)}`, rel: 'self', method: 'GET' }] };
      emitted.push(emit('PAYMENT.CAPTURE.COMPLETED', 'capture', resource));
      return { reply: { status: 201, body: answer }, emitted };
    }
    const refund = /^\/v2\/payments\/captures\/([A-Z0-9]+)\/refund$/.exec(path);
    if (method === 'POST' && refund) {
      const captured = captureIds.get(refund[1]!);
      if (!captured) return { reply: issue(404, 'RESOURCE_NOT_FOUND', 'The specified resource does not exist.', 'INVALID_RESOURCE_ID'), emitted };
      const wanted = (body.amount as { value: string; currency_code: string } | undefined) ?? captured.amount;
      const cents = (value: string) => Math.round(Number(value) * 100);
      if (cents(wanted.value) + captured.refunded > cents(captured.amount.value)) return { reply: issue(422, 'UNPROCESSABLE_ENTITY', 'The refund amount must be less than or equal to the capture amount that has not yet been refunded.', 'REFUND_AMOUNT_EXCEEDED'), emitted };
      captured.refunded += cents(wanted.value);
      const id = randomId(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
      const resource = {
        ...fixture('paypal.refund'),
        id,
        amount: wanted,
        custom_id: (body.custom_id as string | undefined) ?? captured.customId,
        invoice_id: (body.invoice_id as string | undefined) ?? '',
        create_time: new Date().toISOString(),
        update_time: new Date().toISOString(),
        supplementary_data: { related_ids: { order_id: captured.orderId, capture_id: refund[1] } },
        links: [
          { href: `${base}/v2/payments/refunds/${id}`, rel: 'self', method: 'GET' },
          { href: `${base}/v2/payments/captures/${refund[1]}`, rel: 'up', method: 'GET' },
        ],
      };
      emitted.push(emit('PAYMENT.CAPTURE.REFUNDED', 'refund', resource));
      return { reply: { status: 201, body: resource }, emitted };
    }
    if (method === 'POST' && path === '/v1/notifications/verify-webhook-signature') {
      const given = String(body.transmission_sig ?? '');
      const expected = signature(String(body.transmission_id), String(body.transmission_time), JSON.stringify(body.webhook_event));
      const ok = body.webhook_id === webhookId && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
      return { reply: { status: 200, body: { verification_status: ok ? 'SUCCESS' : 'FAILURE' } }, emitted };
    }
    return { reply: issue(404, 'RESOURCE_NOT_FOUND', 'The specified resource does not exist.'), emitted };
  }

  const { server, url } = await listen(async (request) => {
    if (request.method === 'POST' && request.path === '/v1/oauth2/token') {
      const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
      if (request.headers.authorization !== basic) return { status: 401, body: { error: 'invalid_client', error_description: 'Client Authentication failed' } };
      const token = { ...fixture<Record<string, unknown>>('paypal.oauth_token'), access_token: `A21AA${randomId(60)}`, nonce: `${new Date().toISOString()}${randomId(20)}` };
      tokens.add(token.access_token as string);
      return { status: 200, body: token };
    }
    if (request.method === 'GET' && request.path === '/checkoutnow') {
      const target = await approve(request.query.get('token') ?? '');
      if (target === null) return { status: 404, body: { name: 'RESOURCE_NOT_FOUND' } };
      return target ? { status: 302, headers: { location: `${target}${target.includes('?') ? '&' : '?'}token=${request.query.get('token')}&PayerID=QYR5Z8XDVJNXQ` } } : { status: 200, body: { approved: true } };
    }
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    if (!bearer || !tokens.has(bearer)) return issue(401, 'AUTHENTICATION_FAILURE', 'Authentication failed due to invalid authentication credentials or a missing Authorization header.');
    const requestId = (request.headers['paypal-request-id'] as string | undefined) ?? null;
    const cacheKey = requestId ? `${request.path} ${requestId}` : null;
    const replayed = cacheKey ? replies.get(cacheKey) : undefined;
    if (replayed) return replayed;
    let body: Record<string, unknown> = {};
    try {
      body = request.body ? (JSON.parse(request.body) as Record<string, unknown>) : {};
    } catch {
      return issue(400, 'INVALID_REQUEST', 'Request is not well-formed, syntactically incorrect, or violates schema.', 'MALFORMED_REQUEST_JSON');
    }
    const { reply, emitted } = await route(request.method, request.path, body);
    const answered = { ...reply, headers: { 'paypal-debug-id': randomId(13, 'abcdef0123456789') } };
    if (cacheKey && reply.status < 500) replies.set(cacheKey, answered);
    await sendAll(emitted);
    return answered;
  });
  base = url;

  return {
    url,
    clientId,
    clientSecret,
    webhookId,
    setWebhookUrl: (next) => {
      webhookUrl = next;
    },
    setDelivery: (next) => {
      delivery = next;
    },
    events: () => [...events],
    orders: () => new Map(orders),
    captures: () => captureIds.size,
    sign,
    deliver,
    approve,
    close: () => close(server as Server),
  };
}
