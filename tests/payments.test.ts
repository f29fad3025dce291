import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PayPalStandIn, StripeStandIn } from '@meridian/payments/stand-ins';
import { seedDemoShop } from '../scripts/demo-shop.js';
import { eventually } from './support/eventually.js';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import { registerUser, type SignedInUser } from './support/seed.js';

// Payments through the router on PostgreSQL, with each adapter against its loopback stand-in (the built-in test
// mode of scripts/graph.ts: no provider keys configured). Orders become PAID and REFUNDED only by verified
// provider events (or an admin's confirmation of a bank transfer).

const statements: string[] = [];
let graph: TestGraph;
let admin: string;
let shopper: SignedInUser;
let other: SignedInUser;
let variantId: string;
let stripe: StripeStandIn;
let paypal: PayPalStandIn;

type Result = Record<string, unknown> & { __typename: string };
interface Payment {
  id: string;
  status: string;
  method: string;
  amount: { minorUnits: string; amount: string };
  capturedAmount: { minorUnits: string };
  refundedAmount: { minorUnits: string };
  clientSecret: string | null;
  approvalUrl: string | null;
  bankTransfer: { iban: string; reference: string; amount: { amount: string } } | null;
  providerReference: string | null;
  refunds: { id: string; status: string; amount: { minorUnits: string } }[];
}
interface OrderView {
  id: string;
  status: string;
  refundedTotal: { minorUnits: string };
  payments: Payment[];
}

const berlin = { fullName: 'Erika Mustermann', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', countryCode: 'DE' };

async function send(name: string, variables: Record<string, unknown>, token?: string): Promise<Result> {
  const response = await graph.request<Record<string, Result>>(op(name), variables, token ? { token } : {});
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return Object.values(response.body.data!)[0]!;
}

/** A signed-in shopper's cart of two units, shipping to Berlin, in euros. */
async function readyCart(user: SignedInUser): Promise<string> {
  const added = await send('AddToCart', { variantId, quantity: 2 }, user.accessToken);
  const cartId = (added.cart as { id: string }).id;
  expect(await send('SetCartAddresses', { cartId, shipping: { address: berlin } }, user.accessToken)).toMatchObject({ __typename: 'CartUpdated' });
  expect(await send('SetShippingMethod', { cartId, code: 'standard' }, user.accessToken)).toMatchObject({ __typename: 'CartUpdated' });
  return cartId;
}

/** An order of the shopper in PENDING_PAYMENT; its id and total in minor units. */
async function placeOrder(user: SignedInUser = shopper): Promise<{ id: string; totalMinor: bigint }> {
  const cartId = await readyCart(user);
  const done = await send('Checkout', { cartId, idempotencyKey: randomUUID() }, user.accessToken);
  expect(done).toMatchObject({ __typename: 'CheckoutCompleted', order: { status: 'PENDING_PAYMENT' } });
  const order = done.order as { id: string; total: { minorUnits: string } };
  return { id: order.id, totalMinor: BigInt(order.total.minorUnits) };
}

const pay = (orderId: string, method: string, extra: Record<string, unknown> = {}, user: SignedInUser = shopper) =>
  send('PayOrder', { orderId, method, idempotencyKey: randomUUID(), ...extra }, user.accessToken);

async function orderOf(id: string): Promise<OrderView> {
  return (await send('OrderPayments', { id }, admin)) as unknown as OrderView;
}

const eventsOf = async (orderId: string) =>
  graph.sql<{ event: string; reason: string | null }[]>`select event, reason from orders.order_events where order_id = ${orderId} order by at, id`;

const providerEvents = async (paymentId: string) => (await graph.sql<{ count: number }[]>`select count(*)::int as count from payments.provider_events where payment_id = ${paymentId}`)[0]!.count;

beforeAll(async () => {
  graph = await startTestGraph({ onStatement: (statement) => statements.push(statement), env: { PAYMENTS_ORDER_SYNC_MS: '200' } });
  await seedDemoShop(graph.databaseUrl);
  stripe = graph.paymentStandIns!.stripe!;
  paypal = graph.paymentStandIns!.paypal!;
  admin = await graph.mintAccessToken({ userId: randomUUID(), roles: ['customer', 'admin'] });
  [shopper, other] = await Promise.all([registerUser(graph), registerUser(graph)]);
  const [row] = await graph.sql<{ id: string }[]>`
    select v.id from catalog.variants v
    join catalog.variant_prices p on p.variant_id = v.id and p.currency = 'EUR'
    join inventory.stock_levels l on l.variant_id = v.id
    where v.status = 'active' and l.on_hand - l.reserved >= 40
    order by v.id limit 1`;
  variantId = row!.id;
});
afterAll(() => graph?.stop());

describe('payment methods', () => {
  it('offers card, PayPal and bank transfer for a cart to Berlin in euros; none for an unknown cart', async () => {
    const cartId = await readyCart(other);
    const methods = (await graph.request<{ availablePaymentMethods: unknown[] }>(op('AvailablePaymentMethods'), { cartId }, { token: other.accessToken })).body.data!.availablePaymentMethods;
    expect(methods).toEqual([
      { code: 'CARD', provider: 'stripe', flow: 'CLIENT_CONFIRMATION' },
      { code: 'PAYPAL', provider: 'paypal', flow: 'REDIRECT' },
      { code: 'BANK_TRANSFER', provider: 'offline', flow: 'OFFLINE' },
    ]);
    // Someone else's cart reads like an unknown one.
    expect((await graph.request<{ availablePaymentMethods: unknown[] }>(op('AvailablePaymentMethods'), { cartId }, { token: shopper.accessToken })).body.data!.availablePaymentMethods).toEqual([]);
    expect((await graph.request<{ availablePaymentMethods: unknown[] }>(op('AvailablePaymentMethods'), { cartId: randomUUID() })).body.data!.availablePaymentMethods).toEqual([]);
  });
});

describe('card payments through Stripe', () => {
  it('pays an order with pm_card_visa: one PaymentIntent, the order PAID by the verified webhook; the same key answers the same payment', async () => {
    stripe.setDelivery('before-response');
    const order = await placeOrder();
    const idempotencyKey = randomUUID();
    const started = await send('PayOrder', { orderId: order.id, method: 'CARD', idempotencyKey, paymentMethodToken: 'pm_card_visa' }, shopper.accessToken);
    expect(started).toMatchObject({ __typename: 'PaymentStarted', payment: { method: 'CARD', status: 'CAPTURED', amount: { minorUnits: order.totalMinor.toString() } } });
    const payment = started.payment as Payment;
    // A UUIDv7 with the Payment type code (6).
    expect(payment.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{10}06$/);
    await eventually(async () => expect((await orderOf(order.id)).status).toBe('PAID'));
    expect(await eventsOf(order.id)).toEqual([
      { event: 'place', reason: null },
      { event: 'pay', reason: payment.id },
    ]);
    const intents = [...stripe.intents().values()].filter((intent) => (intent.metadata as Record<string, string>).meridian_payment_id === payment.id);
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({ amount: Number(order.totalMinor), currency: 'eur', status: 'succeeded' });

    const again = await send('PayOrder', { orderId: order.id, method: 'CARD', idempotencyKey, paymentMethodToken: 'pm_card_visa' }, shopper.accessToken);
    expect(again).toMatchObject({ __typename: 'PaymentStarted', payment: { id: payment.id } });
    expect([...stripe.intents().values()].filter((intent) => (intent.metadata as Record<string, string>).meridian_payment_id === payment.id)).toHaveLength(1);
    // The owner reads it; anyone else reads an unknown id.
    expect((await graph.request<{ payment: unknown }>(op('Payment'), { id: payment.id }, { token: shopper.accessToken })).body.data!.payment).toMatchObject({ id: payment.id });
    expect((await graph.request<{ payment: unknown }>(op('Payment'), { id: payment.id }, { token: other.accessToken })).body.data!.payment).toBeNull();
    // A paid order takes no second payment.
    expect(await pay(order.id, 'CARD', { paymentMethodToken: 'pm_card_visa' })).toMatchObject({ __typename: 'OrderNotPayable', code: 'ORDER_NOT_PAYABLE' });
  });

  it('answers PaymentDeclined for pm_card_chargeDeclined and leaves the order waiting; another card then pays it', async () => {
    const order = await placeOrder();
    const declined = await pay(order.id, 'CARD', { paymentMethodToken: 'pm_card_chargeDeclined' });
    expect(declined).toMatchObject({ __typename: 'PaymentDeclined', code: 'PAYMENT_DECLINED', declineCode: 'generic_decline', payment: { status: 'FAILED' } });
    expect((await orderOf(order.id)).status).toBe('PENDING_PAYMENT');
    expect(await pay(order.id, 'CARD', { paymentMethodToken: 'pm_card_visa' })).toMatchObject({ __typename: 'PaymentStarted' });
    await eventually(async () => expect((await orderOf(order.id)).status).toBe('PAID'));
    expect((await orderOf(order.id)).payments.map((payment) => payment.status)).toEqual(['FAILED', 'CAPTURED']);
  });

  it('refuses someone else’s order, card data and a malformed key', async () => {
    const order = await placeOrder();
    expect(await pay(order.id, 'CARD', { paymentMethodToken: 'pm_card_visa' }, other)).toMatchObject({ __typename: 'NotFound' });
    expect(await pay(order.id, 'CARD', { paymentMethodToken: '4242424242424242' })).toMatchObject({ __typename: 'ValidationFailed', fields: [{ field: 'paymentMethodToken' }] });
    expect(await send('PayOrder', { orderId: order.id, method: 'CARD', idempotencyKey: '' }, shopper.accessToken)).toMatchObject({ __typename: 'ValidationFailed' });
    expect((await graph.request(op('PayOrder'), { orderId: order.id, method: 'CARD', idempotencyKey: randomUUID() })).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('guests', () => {
  it('lets a guest pay their order with the cart’s token: the order PAID; a wrong token reads exactly like an unknown order and records nothing', async () => {
    stripe.setDelivery('before-response');
    const created = await send('CreateCart', {});
    const key = { cartId: (created.cart as { id: string }).id, cartToken: created.cartToken as string };
    expect(await send('AddToCart', { ...key, variantId, quantity: 1 })).toMatchObject({ __typename: 'CartLineAdded' });
    expect(await send('SetCartAddresses', { ...key, shipping: { address: berlin } })).toMatchObject({ __typename: 'CartUpdated' });
    expect(await send('SetShippingMethod', { ...key, code: 'standard' })).toMatchObject({ __typename: 'CartUpdated' });
    const done = await send('Checkout', { ...key, idempotencyKey: randomUUID(), email: 'guest@example.com' });
    expect(done).toMatchObject({ __typename: 'CheckoutCompleted', order: { status: 'PENDING_PAYMENT' } });
    const order = done.order as { id: string; total: { minorUnits: string } };
    const anotherGuest = (await send('CreateCart', {})).cartToken as string;

    const card = { method: 'CARD', paymentMethodToken: 'pm_card_visa' };
    const unknown = await send('PayOrder', { orderId: randomUUID(), idempotencyKey: randomUUID(), cartToken: key.cartToken, ...card });
    expect(unknown).toMatchObject({ __typename: 'NotFound' });
    const intentsBefore = stripe.intents().size;
    for (const cartToken of ['wrong', anotherGuest]) {
      expect(await send('PayOrder', { orderId: order.id, idempotencyKey: randomUUID(), cartToken, ...card })).toEqual(unknown);
    }
    // Signed in, without the cart's token, a guest's order is nobody's: unknown too.
    expect(await send('PayOrder', { orderId: order.id, idempotencyKey: randomUUID(), ...card }, other.accessToken)).toEqual(unknown);
    expect((await graph.sql`select 1 from payments.payments where order_id = ${order.id}`).length).toBe(0);
    expect(stripe.intents().size).toBe(intentsBefore);

    const paid = await send('PayOrder', { orderId: order.id, idempotencyKey: randomUUID(), cartToken: key.cartToken, ...card });
    expect(paid).toMatchObject({ __typename: 'PaymentStarted', payment: { method: 'CARD', status: 'CAPTURED', amount: { minorUnits: order.total.minorUnits } } });
    await eventually(async () => expect(await orderOf(order.id)).toMatchObject({ status: 'PAID', payments: [{ status: 'CAPTURED' }] }));
    // A guest's payment has no owner: no signed-in shopper reads it.
    expect((await graph.request<{ payment: unknown }>(op('Payment'), { id: (paid.payment as Payment).id }, { token: other.accessToken })).body.data!.payment).toBeNull();
  });
});

describe('Stripe webhooks', () => {
  it('refuses a webhook with a bad signature (400) and records nothing', async () => {
    stripe.setDelivery('manual');
    const order = await placeOrder();
    const started = await pay(order.id, 'CARD', { paymentMethodToken: 'pm_card_visa' });
    const payment = started.payment as Payment;
    const event = stripe.events().find((candidate) => candidate.type === 'payment_intent.succeeded' && candidate.data.object.id === payment.providerReference)!;
    expect(await stripe.deliver(event, { secret: 'whsec_not_the_secret' })).toBe(400);
    const signed = stripe.sign(event);
    const tampered = await fetch(`${graph.subgraphUrls.payments.replace(/\/graphql$/, '')}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signed.headers },
      body: signed.body.replace(`"amount":${Number(order.totalMinor)}`, '"amount":1'),
    });
    expect(tampered.status).toBe(400);
    expect(await providerEvents(payment.id)).toBe(0);
    // The provider's answer alone does not pay the order: only a verified event does.
    expect((await orderOf(order.id)).status).toBe('PENDING_PAYMENT');
    expect(await stripe.deliver(event)).toBe(200);
    await eventually(async () => expect((await orderOf(order.id)).status).toBe('PAID'));
  });

  it('applies the same webhook delivered three times once, and a refund’s event before its capture’s still ends right', async () => {
    stripe.setDelivery('manual');
    const order = await placeOrder();
    const payment = (await pay(order.id, 'CARD', { paymentMethodToken: 'pm_card_visa' })).payment as Payment;
    const refunded = await send('RefundPayment', { paymentId: payment.id, amount: '1000', idempotencyKey: randomUUID() }, admin);
    expect(refunded).toMatchObject({ __typename: 'RefundRequested', refund: { status: 'PENDING', amount: { minorUnits: '1000' } } });
    const ofIntent = (type: string) => stripe.events().filter((event) => event.type === type && (event.data.object.id === payment.providerReference || event.data.object.payment_intent === payment.providerReference));
    const [captured] = ofIntent('payment_intent.succeeded');
    const [refund] = ofIntent('refund.created');
    // Out of order: the refund first, then the capture three times (twice at once).
    expect(await stripe.deliver(refund!)).toBe(200);
    expect(await Promise.all([stripe.deliver(captured!), stripe.deliver(captured!)])).toEqual([200, 200]);
    expect(await stripe.deliver(captured!)).toBe(200);
    expect(await stripe.deliver(refund!)).toBe(200);
    expect(await providerEvents(payment.id)).toBe(2);
    await eventually(async () => {
      const view = await orderOf(order.id);
      expect(view).toMatchObject({ status: 'PAID', refundedTotal: { minorUnits: '1000' } });
      expect(view.payments[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', capturedAmount: { minorUnits: order.totalMinor.toString() }, refundedAmount: { minorUnits: '1000' }, refunds: [{ status: 'SUCCEEDED' }] });
    });
    expect((await eventsOf(order.id)).map((event) => event.event)).toEqual(['place', 'pay', 'refund']);
  });

  it('refunds a payment captured after its order was cancelled, once, through Stripe; the order stays CANCELLED', async () => {
    stripe.setDelivery('manual');
    const order = await placeOrder();
    const payment = (await pay(order.id, 'CARD', { paymentMethodToken: 'pm_card_visa' })).payment as Payment;
    // The payment window closes before the money's event arrives.
    expect(await send('CancelOrder', { id: order.id, reason: 'payment window closed' }, shopper.accessToken)).toMatchObject({ __typename: 'OrderUpdated', order: { status: 'CANCELLED' } });
    const captured = stripe.events().find((event) => event.type === 'payment_intent.succeeded' && event.data.object.id === payment.providerReference)!;
    expect(await Promise.all([stripe.deliver(captured), stripe.deliver(captured)])).toEqual([200, 200]);
    const refundsAtStripe = () => stripe.events().filter((event) => event.type === 'refund.created' && event.data.object.payment_intent === payment.providerReference);
    await eventually(async () => expect(refundsAtStripe()).toHaveLength(1));
    expect(refundsAtStripe()[0]!.data.object).toMatchObject({ amount: Number(order.totalMinor), metadata: { meridian_payment_id: payment.id } });
    expect(await stripe.deliver(refundsAtStripe()[0]!)).toBe(200);
    const total = order.totalMinor.toString();
    await eventually(async () =>
      expect(await orderOf(order.id)).toMatchObject({
        status: 'CANCELLED',
        refundedTotal: { minorUnits: '0' },
        payments: [{ status: 'REFUNDED', capturedAmount: { minorUnits: total }, refundedAmount: { minorUnits: total }, refunds: [{ reason: 'ORDER_CANCELLED', status: 'SUCCEEDED', amount: { minorUnits: total } }] }],
      }),
    );
    // As if the process had died before it noted the order's answer: the sync job asks again, and refunds nothing more.
    await graph.sql`update payments.payments set order_paid_reported = false where id = ${payment.id}`;
    await eventually(async () => expect((await graph.sql<{ reported: boolean }[]>`select order_paid_reported as reported from payments.payments where id = ${payment.id}`)[0]!.reported).toBe(true));
    expect(await stripe.deliver(captured)).toBe(200);
    expect(refundsAtStripe()).toHaveLength(1);
    expect((await graph.sql`select 1 from payments.refunds where payment_id = ${payment.id}`).length).toBe(1);
    expect((await eventsOf(order.id)).map((event) => event.event)).toEqual(['place', 'cancel']);
  });

  it('refunds in part, then in full: the order follows to REFUNDED; a retried key answers the same refund, a third refund is refused', async () => {
    stripe.setDelivery('before-response');
    const order = await placeOrder();
    const payment = (await pay(order.id, 'CARD', { paymentMethodToken: 'pm_card_visa' })).payment as Payment;
    await eventually(async () => expect((await orderOf(order.id)).status).toBe('PAID'));
    const key = randomUUID();
    const partial = await send('RefundPayment', { paymentId: payment.id, amount: '500', idempotencyKey: key }, admin);
    expect(partial).toMatchObject({ __typename: 'RefundRequested', refund: { amount: { minorUnits: '500' } } });
    expect(await send('RefundPayment', { paymentId: payment.id, amount: '500', idempotencyKey: key }, admin)).toMatchObject({ refund: { id: (partial.refund as { id: string }).id } });
    expect(await send('RefundPayment', { paymentId: payment.id, amount: '600', idempotencyKey: key }, admin)).toMatchObject({ __typename: 'IdempotencyKeyReused' });
    await eventually(async () => expect(await orderOf(order.id)).toMatchObject({ status: 'PAID', refundedTotal: { minorUnits: '500' } }));
    expect(await send('RefundPayment', { paymentId: payment.id, amount: order.totalMinor.toString(), idempotencyKey: randomUUID() }, admin)).toMatchObject({
      __typename: 'ValidationFailed',
      fields: [{ field: 'amount', code: 'OUT_OF_RANGE' }],
    });
    const full = await send('RefundPayment', { paymentId: payment.id, idempotencyKey: randomUUID() }, admin);
    expect(full).toMatchObject({ __typename: 'RefundRequested', refund: { amount: { minorUnits: (order.totalMinor - 500n).toString() } } });
    await eventually(async () => expect(await orderOf(order.id)).toMatchObject({ status: 'REFUNDED', refundedTotal: { minorUnits: order.totalMinor.toString() }, payments: [{ status: 'REFUNDED' }] }));
    expect(await send('RefundPayment', { paymentId: payment.id, idempotencyKey: randomUUID() }, admin)).toMatchObject({ __typename: 'IllegalPaymentTransition', status: 'REFUNDED' });
    // Refunds are for admins.
    expect((await graph.request(op('RefundPayment'), { paymentId: payment.id, idempotencyKey: randomUUID() }, { token: shopper.accessToken })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('PayPal', () => {
  it('pays by redirect: approval at PayPal, the capture on the approved event, the order PAID; a forged webhook is refused; a refund follows', async () => {
    paypal.setDelivery('before-response');
    const order = await placeOrder();
    const started = await pay(order.id, 'PAYPAL', { returnUrl: 'https://shop.example/paid' });
    expect(started).toMatchObject({ __typename: 'PaymentStarted', payment: { method: 'PAYPAL', status: 'REQUIRES_ACTION', approvalUrl: expect.stringContaining('/checkoutnow?token=') } });
    const payment = started.payment as Payment;
    expect(paypal.orders().get(payment.providerReference!)).toMatchObject({ purchase_units: [{ custom_id: payment.id, amount: { value: (started.payment as Payment).amount.amount, currency_code: 'EUR' } }] });

    const forged = { id: `WH-${randomUUID()}`, event_type: 'PAYMENT.CAPTURE.COMPLETED', resource: { id: 'FORGED', custom_id: payment.id, amount: { value: '1.00', currency_code: 'EUR' } } };
    expect(await paypal.deliver(forged, { forged: true })).toBe(400);
    expect(await providerEvents(payment.id)).toBe(0);

    // The shopper approves on PayPal's page and is sent back to the shop.
    const approval = await fetch(payment.approvalUrl!, { redirect: 'manual' });
    expect(approval.status).toBe(302);
    expect(approval.headers.get('location')).toMatch(/^https:\/\/shop\.example\/paid\?token=/);
    await eventually(async () => expect(await orderOf(order.id)).toMatchObject({ status: 'PAID', payments: [{ status: 'CAPTURED' }] }));
    expect(paypal.captures()).toBeGreaterThanOrEqual(1);

    const refund = await send('RefundPayment', { paymentId: payment.id, amount: '250', idempotencyKey: randomUUID() }, admin);
    expect(refund).toMatchObject({ __typename: 'RefundRequested' });
    await eventually(async () => expect(await orderOf(order.id)).toMatchObject({ refundedTotal: { minorUnits: '250' }, payments: [{ status: 'PARTIALLY_REFUNDED' }] }));
  });
});

describe('bank transfer', () => {
  it('gives transfer instructions, and an admin’s confirmation pays the order, once', async () => {
    const order = await placeOrder();
    const started = await pay(order.id, 'BANK_TRANSFER');
    expect(started).toMatchObject({ __typename: 'PaymentStarted', payment: { status: 'REQUIRES_ACTION', bankTransfer: { iban: 'DE89370400440532013000', reference: expect.stringMatching(/^MP-[0-9A-F]{12}$/) } } });
    const payment = started.payment as Payment;
    expect((await graph.request(op('ConfirmOfflinePayment'), { paymentId: payment.id, idempotencyKey: randomUUID() }, { token: shopper.accessToken })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const key = randomUUID();
    expect(await send('ConfirmOfflinePayment', { paymentId: payment.id, idempotencyKey: key }, admin)).toMatchObject({ __typename: 'PaymentUpdated', payment: { status: 'CAPTURED' } });
    expect(await send('ConfirmOfflinePayment', { paymentId: payment.id, idempotencyKey: key }, admin)).toMatchObject({ __typename: 'PaymentUpdated', payment: { status: 'CAPTURED' } });
    await eventually(async () => expect((await orderOf(order.id)).status).toBe('PAID'));
    expect((await eventsOf(order.id)).map((event) => event.event)).toEqual(['place', 'pay']);
  });
});

describe('reading payments', () => {
  it('resolves any number of payments by id (node) in one statement, for their owner only', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(((await pay((await placeOrder()).id, 'BANK_TRANSFER')).payment as Payment).id);
    const query = 'query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id ... on Payment { status method order { id } } } }';
    statements.length = 0;
    const owner = await graph.request<{ nodes: ({ id: string; status: string } | null)[] }>(query, { ids: [...ids, randomUUID()] }, { token: shopper.accessToken });
    expect(owner.body.errors).toBeUndefined();
    expect(owner.body.data!.nodes.map((node) => node?.id ?? null)).toEqual([...ids, null]);
    expect(owner.body.data!.nodes[0]).toMatchObject({ status: 'REQUIRES_ACTION', method: 'BANK_TRANSFER' });
    expect(statements.filter((statement) => /from "payments"\."payments" where [^ ]*"id" in \(/.test(statement))).toHaveLength(1);
    const stranger = await graph.request<{ nodes: unknown[] }>(query, { ids }, { token: other.accessToken });
    expect(stranger.body.data!.nodes).toEqual([null, null, null]);

    // Order.payments of every order of a page: one statement too.
    statements.length = 0;
    const mine = await graph.request<{ me: { orders: { edges: { node: { payments: { id: string }[] } }[] } } }>('{ me { orders(first: 50) { edges { node { payments { id } } } } } }', {}, { token: shopper.accessToken });
    expect(mine.body.errors).toBeUndefined();
    expect(mine.body.data!.me.orders.edges.flatMap((edge) => edge.node.payments.map((payment) => payment.id))).toEqual(expect.arrayContaining(ids));
    expect(statements.filter((statement) => /from "payments"\."payments" where [^ ]*"order_id" in \(/.test(statement))).toHaveLength(1);
  });
});
