import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInventoryUseCases } from '@meridian/inventory';
import { seedDemoShop } from '../scripts/demo-shop.js';
import { eventually } from './support/eventually.js';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import { registerUser, type SignedInUser } from './support/seed.js';

// The checkout and orders through the router on PostgreSQL, on the demo shop, with variants of their own made
// through the admin API. The orders service checks out with its own service identity (scripts/graph.ts).

const statements: string[] = [];
let graph: TestGraph;
let admin: string;
let central: string;
let shopper: SignedInUser;
let other: SignedInUser;
let inventory: ReturnType<typeof createInventoryUseCases>;

type Money = { amount: string; currencyCode: string; minorUnits: string };
interface Order {
  id: string;
  number: string;
  status: string;
  currency: string;
  email: string | null;
  lines: { id: string; variant: { id: string }; quantity: number; unitPrice: Money; lineTotal: Money; tax: Money; refundedQuantity: number }[];
  subtotal: Money;
  discountTotal: Money;
  shippingTotal: Money;
  taxLines: { name: string; rate: string; amount: Money }[];
  taxTotal: Money;
  total: Money;
  refundedTotal: Money;
  exchangeRate: { id: string; asOf: string } | null;
  shippingAddress: Record<string, unknown>;
  billingAddress: Record<string, unknown>;
  shippingMethod: string;
  events: { from: string | null; to: string; event: string; actor: string; reason: string | null; at: string }[];
}
type Result = Record<string, unknown> & { __typename: string; order?: Order };
interface Key {
  cartId: string;
  cartToken?: string | null;
}

const berlin = { fullName: 'Erika Mustermann', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', countryCode: 'DE' };

async function send(name: string, variables: Record<string, unknown>, options: { token?: string; currency?: string } = {}): Promise<Result> {
  const response = await graph.request<Record<string, Result>>(op(name), variables, {
    ...(options.token ? { token: options.token } : {}),
    ...(options.currency ? { headers: { 'x-meridian-currency': options.currency } } : {}),
  });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return Object.values(response.body.data!)[0]!;
}

/** A product with one variant at these prices and this many units at the central warehouse. */
async function variant(prices: Record<string, string>, stock = 50): Promise<string> {
  const tag = randomUUID().slice(0, 8);
  const product = await send('CreateProduct', { input: { translations: [{ locale: 'en', name: `Order fixture ${tag}`, slug: `order-fixture-${tag}` }] } }, { token: admin });
  const created = await send(
    'CreateVariant',
    { input: { productId: (product.product as { id: string }).id, sku: `ORDER-${tag}`, prices: Object.entries(prices).map(([currency, amount]) => ({ currency, amount })) } },
    { token: admin },
  );
  const id = (created.variant as { id: string }).id;
  if (stock > 0) expect(await send('ReceiveStock', { input: { variantId: id, locationId: central, quantity: stock } }, { token: admin })).toMatchObject({ __typename: 'StockLevelChanged' });
  return id;
}

/** A cart with these lines, shipping to Berlin by standard shipping: a signed-in shopper's (token) or a guest's. */
async function readyCart(lines: [variantId: string, quantity: number][], options: { token?: string; currency?: string } = {}): Promise<Required<Key>> {
  const created = await send('CreateCart', {}, options);
  const key = { cartId: (created.cart as { id: string }).id, cartToken: (created.cartToken as string | null) ?? null };
  for (const [variantId, quantity] of lines) expect(await send('AddToCart', { ...key, variantId, quantity }, options)).toMatchObject({ __typename: 'CartLineAdded' });
  expect(await send('SetCartAddresses', { ...key, shipping: { address: berlin } }, options)).toMatchObject({ __typename: 'CartUpdated' });
  expect(await send('SetShippingMethod', { ...key, code: 'standard' }, options)).toMatchObject({ __typename: 'CartUpdated' });
  return key;
}

const checkout = (key: Key, options: { token?: string; idempotencyKey?: string; email?: string } = {}) =>
  send('Checkout', { ...key, idempotencyKey: options.idempotencyKey ?? randomUUID(), ...(options.email ? { email: options.email } : {}) }, options.token ? { token: options.token } : {});

async function level(variantId: string): Promise<{ onHand: number; reserved: number; available: number }> {
  const levels = (await graph.request<{ stockLevels: { location: { id: string }; onHand: number; reserved: number; available: number }[] }>(op('StockLevels'), { variantIds: [variantId] }, { token: admin })).body.data!.stockLevels;
  return levels.filter((entry) => entry.location.id === central).map(({ onHand, reserved, available }) => ({ onHand, reserved, available }))[0]!;
}

const orderCount = async (cartId?: string) => {
  const [row] = cartId ? await graph.sql<{ count: number }[]>`select count(*)::int as count from orders.orders where cart_id = ${cartId}` : await graph.sql<{ count: number }[]>`select count(*)::int as count from orders.orders`;
  return row!.count;
};

beforeAll(async () => {
  graph = await startTestGraph({
    onStatement: (statement) => statements.push(statement),
    cartServiceRoles: ['checkout'],
    env: { CATALOG_AVAILABILITY_POLL_MS: '60000', ORDERS_RECOVERY_MS: '200' },
  });
  await seedDemoShop(graph.databaseUrl);
  admin = await graph.mintAccessToken({ userId: randomUUID(), roles: ['customer', 'admin'] });
  [shopper, other] = await Promise.all([registerUser(graph), registerUser(graph)]);
  await eventually(async () => expect((await graph.request('{ shop { currencies } }', {}, { headers: { 'x-meridian-currency': 'USD' } })).context?.currency).toBe('USD'));
  const locations = (await graph.request<{ stockLocations: { id: string; code: string }[] }>(op('StockLocations'), {}, { token: admin })).body.data!.stockLocations;
  central = locations.find((location) => location.code === 'central')!.id;
  inventory = createInventoryUseCases(graph.sql, { lowStockThreshold: 3, reservationTtlSeconds: 900 });
});
afterAll(() => graph?.stop());

describe('checkout', () => {
  it('turns a signed-in shopper’s cart into an order with its snapshot, reserves the stock and closes the cart', async () => {
    const tent = await variant({ EUR: '59.50', USD: '64.00' });
    const lamp = await variant({ EUR: '10.00', USD: '11.00' });
    const key = await readyCart(
      [
        [tent, 2],
        [lamp, 1],
      ],
      { token: shopper.accessToken },
    );
    const done = await checkout({ cartId: key.cartId }, { token: shopper.accessToken });
    expect(done, JSON.stringify(done)).toMatchObject({
      __typename: 'CheckoutCompleted',
      order: {
        status: 'PENDING_PAYMENT',
        currency: 'EUR',
        email: null,
        lines: [
          { variant: { id: tent }, quantity: 2, unitPrice: { amount: '59.50' }, lineTotal: { amount: '119.00' }, refundedQuantity: 0 },
          { variant: { id: lamp }, quantity: 1, unitPrice: { amount: '10.00' }, lineTotal: { amount: '10.00' } },
        ],
        subtotal: { amount: '129.00' },
        shippingTotal: { amount: '4.95' },
        discountTotal: { amount: '0.00' },
        taxLines: [{ name: 'VAT', rate: '19', amount: { currencyCode: 'EUR' } }],
        total: { amount: '133.95' },
        refundedTotal: { amount: '0.00' },
        exchangeRate: null,
        shippingAddress: { fullName: 'Erika Mustermann', city: 'Berlin', postalCode: '10117', countryCode: 'DE' },
        billingAddress: { fullName: 'Erika Mustermann' },
        shippingMethod: 'standard',
        events: [{ from: null, to: 'PENDING_PAYMENT', event: 'PLACE', actor: shopper.id, reason: null }],
      },
    });
    const order = done.order!;
    expect(order.number).toMatch(/^M-\d{4}-\d{6}$/);
    // A UUIDv7 whose last byte is the Order type's code (5), so node(id:) refetches it.
    expect(order.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{10}05$/);
    expect(await level(tent)).toEqual({ onHand: 50, reserved: 2, available: 48 });
    // The cart is closed: it reads as unknown, and the shopper's next cart is a new one.
    expect((await graph.request<{ cart: unknown }>(op('Cart'), key, { token: shopper.accessToken })).body.data!.cart).toBeNull();
    expect(await send('AddToCart', { cartId: key.cartId, variantId: tent, quantity: 1 }, { token: shopper.accessToken })).toMatchObject({ __typename: 'NotFound' });
    // The hand-off to payment is written with the order.
    expect(await graph.sql`select type, payload->>'number' as number from orders.outbox where order_id = ${order.id}`).toEqual([{ type: 'order.placed', number: order.number }]);
    // The same cart again, with another key: it was ordered.
    expect(await checkout({ cartId: key.cartId }, { token: shopper.accessToken })).toMatchObject({ __typename: 'CartAlreadyOrdered', code: 'CART_ALREADY_ORDERED' });
    expect(await inventory.stock.verifyLedger()).toEqual([]);
  });

  it('answers one order to the same key sent five times at once, and IdempotencyKeyReused for another cart', async () => {
    const tent = await variant({ EUR: '20.00' });
    const key = await readyCart([[tent, 1]], { token: other.accessToken });
    const idempotencyKey = randomUUID();
    const answers = await Promise.all(Array.from({ length: 5 }, () => checkout({ cartId: key.cartId }, { token: other.accessToken, idempotencyKey })));
    expect(new Set(answers.map((answer) => answer.__typename))).toEqual(new Set(['CheckoutCompleted']));
    expect(new Set(answers.map((answer) => answer.order!.id)).size).toBe(1);
    expect(await orderCount(key.cartId)).toBe(1);
    expect(await level(tent)).toMatchObject({ reserved: 1 });
    // Sent again later: still the same order.
    expect((await checkout({ cartId: key.cartId }, { token: other.accessToken, idempotencyKey })).order!.id).toBe(answers[0]!.order!.id);

    const another = await readyCart([[tent, 1]], { token: other.accessToken });
    expect(await checkout({ cartId: another.cartId }, { token: other.accessToken, idempotencyKey })).toMatchObject({ __typename: 'IdempotencyKeyReused', code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await orderCount(another.cartId)).toBe(0);
    expect(await level(tent)).toMatchObject({ reserved: 1 });
  });

  it('sells the last 10 units to exactly 10 of 50 concurrent checkouts; the others get OutOfStock and the stock never goes negative', async () => {
    const tent = await variant({ EUR: '15.00' }, 10);
    const carts: Required<Key>[] = [];
    for (let batch = 0; batch < 5; batch++) carts.push(...(await Promise.all(Array.from({ length: 10 }, () => readyCart([[tent, 1]])))));
    const answers = await Promise.all(carts.map((key) => checkout(key, { email: 'guest@example.com' })));
    const typenames = answers.map((answer) => answer.__typename);
    expect(typenames.filter((name) => name === 'CheckoutCompleted')).toHaveLength(10);
    expect(typenames.filter((name) => name === 'OutOfStock')).toHaveLength(40);
    expect(answers.find((answer) => answer.__typename === 'OutOfStock')).toMatchObject({ code: 'OUT_OF_STOCK', shortages: [{ variant: { id: tent }, requested: 1, available: 0 }] });
    expect(await graph.sql`select count(*)::int as count from orders.order_lines where variant_id = ${tent}`).toEqual([{ count: 10 }]);
    expect(await level(tent)).toEqual({ onHand: 10, reserved: 10, available: 0 });
    expect(await graph.sql`select 1 from inventory.stock_levels where reserved > on_hand or on_hand < 0`).toEqual([]);
    expect(await inventory.stock.verifyLedger()).toEqual([]);
    // A failed checkout leaves the cart open: the shopper may try again with a new key.
    const refused = carts[typenames.indexOf('OutOfStock')]!;
    expect((await graph.request<{ cart: { id: string } | null }>(op('Cart'), refused)).body.data!.cart).toMatchObject({ id: refused.cartId });
  });

  it('lets a guest check out with the cart’s token and an e-mail address, and refuses without one', async () => {
    const lamp = await variant({ EUR: '10.00' });
    const key = await readyCart([[lamp, 3]]);
    expect(await checkout(key)).toMatchObject({ __typename: 'ValidationFailed', fields: [{ field: 'email', code: 'REQUIRED' }] });
    expect(await checkout({ cartId: key.cartId, cartToken: 'wrong' }, { email: 'guest@example.com' })).toMatchObject({ __typename: 'NotFound' });
    expect(await checkout({ cartId: key.cartId }, { token: other.accessToken })).toMatchObject({ __typename: 'NotFound' });
    const done = await checkout(key, { email: 'Guest@Example.com' });
    expect(done).toMatchObject({ __typename: 'CheckoutCompleted', order: { email: 'Guest@Example.com', total: { amount: '34.95' }, events: [{ actor: 'guest' }] } });
    // A guest's order has no owner: nobody but an admin reads it by id.
    expect((await graph.request<{ order: unknown }>(op('Order'), { id: done.order!.id })).body.data!.order).toBeNull();
    expect((await graph.request<{ order: unknown }>(op('Order'), { id: done.order!.id }, { token: other.accessToken })).body.data!.order).toBeNull();
    expect((await graph.request<{ order: { id: string } }>(op('Order'), { id: done.order!.id }, { token: admin })).body.data!.order).toMatchObject({ id: done.order!.id });
  });

  it('refuses an empty cart, a cart without address, and changed prices, and releases nothing it did not hold', async () => {
    const lamp = await variant({ EUR: '10.00' });
    const empty = (await send('CreateCart', {})) as { cart: { id: string }; cartToken: string } & Result;
    expect(await checkout({ cartId: empty.cart.id, cartToken: empty.cartToken }, { email: 'guest@example.com' })).toMatchObject({ __typename: 'CartEmpty', code: 'CART_EMPTY' });

    const added = await send('AddToCart', { variantId: lamp, quantity: 1 });
    const bare = { cartId: (added.cart as { id: string }).id, cartToken: added.cartToken as string };
    expect(await checkout(bare, { email: 'guest@example.com' })).toMatchObject({
      __typename: 'ValidationFailed',
      fields: [
        { field: 'shippingAddress', code: 'REQUIRED' },
        { field: 'shippingMethod', code: 'REQUIRED' },
      ],
    });

    const key = await readyCart([[lamp, 1]]);
    expect(await send('SetVariantPrice', { variantId: lamp, price: { currency: 'EUR', amount: '12.00' } }, { token: admin })).toMatchObject({ __typename: 'VariantSaved' });
    expect(await checkout(key, { email: 'guest@example.com' })).toMatchObject({ __typename: 'PricesChanged', code: 'PRICES_CHANGED', lines: 1 });
    expect(await send('ApplyCartPriceChanges', key)).toMatchObject({ __typename: 'CartUpdated' });
    expect(await checkout(key, { email: 'guest@example.com' })).toMatchObject({ __typename: 'CheckoutCompleted', order: { lines: [{ unitPrice: { amount: '12.00' } }] } });
    expect(await level(lamp)).toEqual({ onHand: 50, reserved: 1, available: 49 });
  });

  it('keeps the exchange rate of converted prices with the order', async () => {
    // Priced in euros only: a cart in US dollars sees (and orders at) the converted price.
    const lamp = await variant({ EUR: '10.00' });
    const key = await readyCart([[lamp, 1]], { currency: 'USD' });
    const done = await send('Checkout', { ...key, idempotencyKey: randomUUID(), email: 'guest@example.com' }, { currency: 'USD' });
    expect(done).toMatchObject({ __typename: 'CheckoutCompleted', order: { currency: 'USD', exchangeRate: { id: expect.any(String), asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) } } });
  });
});

describe('orders', () => {
  let order: Order;
  let tent: string;
  let lamp: string;

  beforeAll(async () => {
    tent = await variant({ EUR: '30.00' });
    lamp = await variant({ EUR: '5.00' });
    const key = await readyCart(
      [
        [tent, 2],
        [lamp, 1],
      ],
      { token: shopper.accessToken },
    );
    order = (await checkout({ cartId: key.cartId }, { token: shopper.accessToken })).order!;
  });

  it('are read by their owner and admins; another user’s order reads like an unknown one', async () => {
    const read = async (id: string, token?: string) => (await graph.request<{ order: { id: string } | null }>(op('Order'), { id }, token ? { token } : {})).body.data!.order;
    expect(await read(order.id, shopper.accessToken)).toMatchObject({ id: order.id });
    expect(await read(order.id, admin)).toMatchObject({ id: order.id });
    expect(await read(order.id, other.accessToken)).toBeNull();
    expect(await read(order.id)).toBeNull();
    expect(await read(randomUUID(), shopper.accessToken)).toBeNull();
    const node = async (token: string) => (await graph.request<{ node: { id: string; number?: string } | null }>('query($id: ID!) { node(id: $id) { id ... on Order { number } } }', { id: order.id }, { token })).body;
    expect((await node(shopper.accessToken)).data!.node).toEqual({ id: order.id, number: order.number });
    expect((await node(other.accessToken)).data!.node).toBeNull();
    expect(await send('CancelOrder', { id: order.id }, { token: other.accessToken })).toMatchObject({ __typename: 'NotFound' });
  });

  it('resolves any number of order references in one statement', async () => {
    const ids = (await graph.sql<{ id: string }[]>`select id from orders.orders where user_id = ${shopper.id}`).map((row) => row.id);
    expect(ids.length).toBeGreaterThan(1);
    statements.length = 0;
    const answer = await graph.request<{ nodes: ({ id: string } | null)[] }>('query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Order { status } } }', { ids }, { token: shopper.accessToken });
    expect(answer.body.data!.nodes.map((node) => node?.id)).toEqual(ids);
    // (The jobs' statements, every 200 ms here, read unpaid orders by status, never by id.)
    expect(statements.filter((statement) => /from "orders"\."orders" where [^ ]*"id" in \(/.test(statement))).toHaveLength(1);
  });

  it('are listed for their owner (a Relay connection, newest first) and for admins by status', async () => {
    const page = (await send('MyOrders', { first: 1 }, { token: shopper.accessToken })) as unknown as { orders: { edges: { cursor: string; node: Order }[]; pageInfo: { hasNextPage: boolean; endCursor: string }; totalCount: number } };
    expect(page.orders).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true }, edges: [{ node: { id: order.id } }] });
    const next = (await send('MyOrders', { first: 5, after: page.orders.pageInfo.endCursor }, { token: shopper.accessToken })) as unknown as { orders: { edges: { node: Order }[]; pageInfo: { hasNextPage: boolean } } };
    expect(next.orders.edges).toHaveLength(1);
    expect(next.orders.pageInfo.hasNextPage).toBe(false);
    expect(((await send('MyOrders', {}, { token: other.accessToken })) as unknown as { orders: { edges: { node: Order }[] } }).orders.edges.every((edge) => edge.node.id !== order.id)).toBe(true);
    const pending = (await graph.request<{ orders: { edges: { node: { status: string } }[]; totalCount: number } }>(op('Orders'), { filter: { status: 'PENDING_PAYMENT' }, first: 100 }, { token: admin })).body.data!.orders;
    expect(pending.totalCount).toBeGreaterThan(1);
    expect(pending.edges.every((edge) => edge.node.status === 'PENDING_PAYMENT')).toBe(true);
    expect((await graph.request(op('Orders'), {}, { token: shopper.accessToken })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('move by the state machine, each change recorded; an illegal change is a typed error and changes nothing', async () => {
    const events = async () => (await graph.sql`select count(*)::int as count from orders.order_events where order_id = ${order.id}`)[0]!.count as number;
    const before = await events();
    expect(await send('FulfilOrder', { id: order.id }, { token: admin })).toMatchObject({ __typename: 'IllegalOrderTransition', code: 'ILLEGAL_ORDER_TRANSITION', from: 'PENDING_PAYMENT', event: 'FULFIL', allowed: ['PAY', 'CANCEL'] });
    expect(await send('MarkOrderDelivered', { id: order.id }, { token: admin })).toMatchObject({ __typename: 'IllegalOrderTransition', event: 'DELIVER' });
    expect(await send('RefundOrderLines', { id: order.id, lines: [{ lineId: order.lines[0]!.id, quantity: 1 }] }, { token: admin })).toMatchObject({ __typename: 'IllegalOrderTransition', event: 'REFUND' });
    expect(await events()).toBe(before);
    expect((await graph.request(op('FulfilOrder'), { id: order.id }, { token: shopper.accessToken })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    expect(await send('MarkOrderPaid', { id: order.id, reference: 'psp_123' }, { token: admin })).toMatchObject({ __typename: 'OrderUpdated', order: { status: 'PAID' } });
    // Paying takes the reserved units out of the stock.
    expect(await level(tent)).toEqual({ onHand: 48, reserved: 0, available: 48 });
    // The same payment again (a replayed provider event) answers the paid order and records nothing; another one is refused.
    const paidEvents = await events();
    expect(await send('MarkOrderPaid', { id: order.id, reference: 'psp_123' }, { token: admin })).toMatchObject({ __typename: 'OrderUpdated', order: { status: 'PAID' } });
    expect(await events()).toBe(paidEvents);
    expect(await send('MarkOrderPaid', { id: order.id, reference: 'psp_456' }, { token: admin })).toMatchObject({ __typename: 'IllegalOrderTransition', from: 'PAID', event: 'PAY' });
    // The owner may cancel only while the order waits for payment.
    expect(await send('CancelOrder', { id: order.id, reason: 'changed my mind' }, { token: shopper.accessToken })).toMatchObject({ __typename: 'IllegalOrderTransition', from: 'PAID', event: 'CANCEL', allowed: [] });
    expect(await send('FulfilOrder', { id: order.id, reason: 'DHL 123' }, { token: admin })).toMatchObject({ __typename: 'OrderUpdated', order: { status: 'FULFILLED' } });
    expect(await send('CancelOrder', { id: order.id }, { token: admin })).toMatchObject({ __typename: 'IllegalOrderTransition', from: 'FULFILLED', allowed: ['DELIVER', 'REFUND'] });
    const delivered = await send('MarkOrderDelivered', { id: order.id }, { token: admin });
    expect(delivered).toMatchObject({ __typename: 'OrderUpdated', order: { status: 'DELIVERED' } });
    expect(delivered.order!.events.map(({ from, to, event, reason }) => ({ from, to, event, reason }))).toEqual([
      { from: null, to: 'PENDING_PAYMENT', event: 'PLACE', reason: null },
      { from: 'PENDING_PAYMENT', to: 'PAID', event: 'PAY', reason: 'psp_123' },
      { from: 'PAID', to: 'FULFILLED', event: 'FULFIL', reason: 'DHL 123' },
      { from: 'FULFILLED', to: 'DELIVERED', event: 'DELIVER', reason: null },
    ]);
    expect(new Set(delivered.order!.events.slice(1).map((event) => event.actor))).toEqual(new Set([expect.any(String)]));
    // The history is append-only.
    await expect(graph.sql`update orders.order_events set reason = 'rewritten' where order_id = ${order.id}`).rejects.toThrow(/append-only/);
  });

  it('are refunded line by line; the last unit refunds the whole order', async () => {
    const [tentLine, lampLine] = order.lines;
    const partial = await send('RefundOrderLines', { id: order.id, lines: [{ lineId: tentLine!.id, quantity: 1 }], reason: 'one tent broken' }, { token: admin });
    expect(partial).toMatchObject({ __typename: 'OrderUpdated', order: { status: 'DELIVERED', refundedTotal: { amount: '30.00' }, lines: [{ refundedQuantity: 1 }, { refundedQuantity: 0 }] } });
    expect(await send('RefundOrderLines', { id: order.id, lines: [{ lineId: tentLine!.id, quantity: 2 }] }, { token: admin })).toMatchObject({ __typename: 'ValidationFailed', fields: [{ field: 'lines', code: 'OUT_OF_RANGE' }] });
    expect(await send('RefundOrderLines', { id: order.id, lines: [{ lineId: randomUUID(), quantity: 1 }] }, { token: admin })).toMatchObject({ __typename: 'ValidationFailed' });
    const full = await send('RefundOrderLines', { id: order.id, lines: [{ lineId: tentLine!.id, quantity: 1 }, { lineId: lampLine!.id, quantity: 1 }], reason: 'returned' }, { token: admin });
    expect(full).toMatchObject({ __typename: 'OrderUpdated', order: { status: 'REFUNDED', lines: [{ refundedQuantity: 2 }, { refundedQuantity: 1 }] } });
    expect(full.order!.refundedTotal.amount).toBe(full.order!.total.amount);
    expect(full.order!.events.slice(-2).map(({ from, to, event }) => ({ from, to, event }))).toEqual([
      { from: 'DELIVERED', to: 'DELIVERED', event: 'REFUND' },
      { from: 'DELIVERED', to: 'REFUNDED', event: 'REFUND' },
    ]);
    expect(await send('RefundOrderLines', { id: order.id, lines: [{ lineId: tentLine!.id, quantity: 1 }] }, { token: admin })).toMatchObject({ __typename: 'IllegalOrderTransition', from: 'REFUNDED', allowed: [] });
  });

  it('are cancelled by their owner while unpaid, by an admin once paid, releasing the stock', async () => {
    const bag = await variant({ EUR: '8.00' });
    const first = (await checkout({ cartId: (await readyCart([[bag, 2]], { token: other.accessToken })).cartId }, { token: other.accessToken })).order!;
    expect(await level(bag)).toMatchObject({ reserved: 2 });
    expect(await send('CancelOrder', { id: first.id, reason: 'too slow' }, { token: other.accessToken })).toMatchObject({ __typename: 'OrderUpdated', order: { status: 'CANCELLED', events: [{}, { event: 'CANCEL', actor: other.id, reason: 'too slow' }] } });
    expect(await level(bag)).toEqual({ onHand: 50, reserved: 0, available: 50 });
    expect(await send('MarkOrderPaid', { id: first.id, reference: 'late' }, { token: admin })).toMatchObject({ __typename: 'IllegalOrderTransition', from: 'CANCELLED', allowed: [] });

    const second = (await checkout({ cartId: (await readyCart([[bag, 1]], { token: other.accessToken })).cartId }, { token: other.accessToken })).order!;
    expect(await send('MarkOrderPaid', { id: second.id, reference: 'psp_9' }, { token: admin })).toMatchObject({ order: { status: 'PAID' } });
    expect(await send('CancelOrder', { id: second.id }, { token: admin })).toMatchObject({ __typename: 'OrderUpdated', order: { status: 'CANCELLED' } });
    expect(await inventory.stock.verifyLedger()).toEqual([]);
  });

  it('left unpaid past the payment window are cancelled by the job, and their stock goes back', async () => {
    const bag = await variant({ EUR: '8.00' });
    const unpaid = (await checkout({ cartId: (await readyCart([[bag, 1]], { token: other.accessToken })).cartId }, { token: other.accessToken })).order!;
    await graph.sql`update orders.orders set created_at = now() - interval '31 minutes' where id = ${unpaid.id}`;
    await eventually(async () => expect((await graph.sql`select status from orders.orders where id = ${unpaid.id}`)[0]).toEqual({ status: 'CANCELLED' }));
    expect(await graph.sql`select actor, reason from orders.order_events where order_id = ${unpaid.id} and event = 'cancel'`).toEqual([{ actor: 'system', reason: 'The payment window closed' }]);
    await eventually(async () => expect(await level(bag)).toEqual({ onHand: 50, reserved: 0, available: 50 }));
  });
});

describe('unfinished checkouts', () => {
  it('are undone by the recovery job when their worker stopped before the order (the key then answers CheckoutAbandoned)', async () => {
    const lamp = await variant({ EUR: '10.00' });
    const key = await readyCart([[lamp, 1]], { token: other.accessToken });
    const idempotencyKey = randomUUID();
    // A checkout that stopped after its reservation, a lease ago: what a crash leaves (tests/checkout-crash.test.ts crashes one for real).
    const reservation = (await graph.request<{ reserve: { id: string } }>('mutation($lines: [ReserveLineInput!]!) { reserve(lines: $lines) { ... on Reservation { id } } }', { lines: [{ variantId: lamp, quantity: 1 }] }, { token: admin })).body.data!.reserve.id;
    await graph.sql`insert into orders.checkouts (idempotency_key, cart_id, user_id, state, reservation_id, updated_at) values (${idempotencyKey}, ${key.cartId}, ${other.id}, 'reserved', ${reservation}, now() - interval '1 hour')`;
    await eventually(async () => expect((await graph.sql`select state from orders.checkouts where idempotency_key = ${idempotencyKey}`)[0]).toEqual({ state: 'failed' }));
    expect(await level(lamp)).toEqual({ onHand: 50, reserved: 0, available: 50 });
    expect(await checkout({ cartId: key.cartId }, { token: other.accessToken, idempotencyKey })).toMatchObject({ __typename: 'CheckoutAbandoned', code: 'CHECKOUT_ABANDONED' });
    // The cart is still the shopper's to check out with a new key.
    expect(await checkout({ cartId: key.cartId }, { token: other.accessToken })).toMatchObject({ __typename: 'CheckoutCompleted' });
  });

  it('answer CheckoutInProgress to another key for a cart whose checkout is running', async () => {
    const lamp = await variant({ EUR: '10.00' });
    const key = await readyCart([[lamp, 1]], { token: other.accessToken });
    await graph.sql`insert into orders.checkouts (idempotency_key, cart_id, user_id) values (${randomUUID()}, ${key.cartId}, ${other.id})`;
    expect(await checkout({ cartId: key.cartId }, { token: other.accessToken })).toMatchObject({ __typename: 'CheckoutInProgress', code: 'CHECKOUT_IN_PROGRESS' });
    // Someone else learns nothing about the cart.
    expect(await checkout({ cartId: key.cartId }, { token: shopper.accessToken })).toMatchObject({ __typename: 'NotFound' });
  });
});
