import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ERASURE_ROLE } from '@meridian/auth';
import { seedDemoShop } from '../scripts/demo-shop.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import type { ReceivedMail } from './support/mailbox.js';
import { registerUser, type SignedInUser } from './support/seed.js';

// The notifications service through the router on PostgreSQL: it reads the orders service's event feed with its
// own identity (the `notifications` role), writes each order's messages once, in the customer's language of the
// moment, to the test's SMTP server, retries a refusing relay with backoff and dead-letters what never goes out.

type Result = Record<string, unknown> & { __typename: string };
interface Order {
  id: string;
  number: string;
  lines: { id: string; quantity: number }[];
}
interface Delivery {
  id: string;
  kind: string;
  status: string;
  orderNumber: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  recipient: string | null;
  locale: string | null;
  sentAt: string | null;
}

const env = {
  NOTIFICATIONS_POLL_MS: '100',
  NOTIFICATIONS_RETRY_BASE_MS: '200',
  NOTIFICATIONS_RETRY_MAX_MS: '800',
  NOTIFICATIONS_MAX_ATTEMPTS: '3',
  CATALOG_AVAILABILITY_POLL_MS: '60000',
};

let database: TestDatabase;
let graph: TestGraph;
let admin: string;
let central: string;

async function send(name: string, variables: Record<string, unknown>, options: { token?: string; headers?: Record<string, string> } = {}): Promise<Result> {
  const response = await graph.request<Record<string, Result>>(op(name), variables, options);
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return Object.values(response.body.data!)[0]!;
}

async function variant(): Promise<string> {
  const tag = randomUUID().slice(0, 8);
  const product = await send('CreateProduct', { input: { translations: [{ locale: 'en', name: `Notified ${tag}`, slug: `notified-${tag}` }] } }, { token: admin });
  const created = await send('CreateVariant', { input: { productId: (product.product as { id: string }).id, sku: `NOTE-${tag}`, prices: [{ currency: 'EUR', amount: '25.00' }] } }, { token: admin });
  const id = (created.variant as { id: string }).id;
  await send('ReceiveStock', { input: { variantId: id, locationId: central, quantity: 100 } }, { token: admin });
  return id;
}

/** Checks out two units of a new variant and one of another: a signed-in shopper's order, or a guest's with `email`. */
async function placeOrder(options: { token?: string; email?: string; headers?: Record<string, string>; fullName?: string }): Promise<Order> {
  const auth = { ...(options.token ? { token: options.token } : {}), ...(options.headers ? { headers: options.headers } : {}) };
  const created = await send('CreateCart', {}, auth);
  const key = { cartId: (created.cart as { id: string }).id, cartToken: (created.cartToken as string | null) ?? null };
  for (const [variantId, quantity] of [[await variant(), 2] as const, [await variant(), 1] as const]) {
    expect(await send('AddToCart', { ...key, variantId, quantity }, auth)).toMatchObject({ __typename: 'CartLineAdded' });
  }
  const berlin = { fullName: options.fullName ?? 'Erika <Mustermann>', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', countryCode: 'DE' };
  expect(await send('SetCartAddresses', { ...key, shipping: { address: berlin } }, auth)).toMatchObject({ __typename: 'CartUpdated' });
  expect(await send('SetShippingMethod', { ...key, code: 'standard' }, auth)).toMatchObject({ __typename: 'CartUpdated' });
  const done = await send('Checkout', { ...key, idempotencyKey: randomUUID(), ...(options.email ? { email: options.email } : {}) }, auth);
  expect(done, JSON.stringify(done)).toMatchObject({ __typename: 'CheckoutCompleted' });
  return (done as unknown as { order: Order }).order;
}

const mailsAbout = (order: Order, mails: readonly ReceivedMail[] = graph.mailbox.received) => mails.filter((mail) => mail.subject.includes(order.number));
const waitForMail = (order: Order, subject: string) => graph.mailbox.waitFor((mail) => mail.subject.includes(order.number) && mail.subject.includes(subject));

async function deliveries(status?: string): Promise<Delivery[]> {
  const page = await send('NotificationDeliveries', { first: 100, ...(status ? { status } : {}) }, { token: admin });
  return (page.edges as { node: Delivery }[]).map((edge) => edge.node);
}

async function changeOrder(name: string, variables: Record<string, unknown>): Promise<void> {
  expect(await send(name, variables, { token: admin })).toMatchObject({ __typename: 'OrderUpdated' });
}

beforeAll(async () => {
  database = await createTestDatabase();
  graph = await startTestGraph({ database, cartServiceRoles: ['checkout'], env });
  await seedDemoShop(graph.databaseUrl, { products: 5 });
  admin = await graph.mintAccessToken({ userId: randomUUID(), roles: ['customer', 'admin'] });
  await eventually(async () => expect((await graph.request('{ shop { locales } }', {}, { headers: { 'accept-language': 'fr' } })).context?.locale).toBe('fr'));
  const locations = (await graph.request<{ stockLocations: { id: string; code: string }[] }>(op('StockLocations'), {}, { token: admin })).body.data!.stockLocations;
  central = locations.find((location) => location.code === 'central')!.id;
});
afterAll(async () => {
  await graph?.stop();
  await database?.drop();
});

describe('order notifications', () => {
  let shopper: SignedInUser;
  let order: Order;

  it('writes each message of a signed-in shopper’s order once, in the account’s language of the moment', async () => {
    shopper = await registerUser(graph);
    expect(await send('UpdateProfile', { input: { preferredLocale: 'de' } }, { token: shopper.accessToken })).toMatchObject({ __typename: 'ProfileUpdated' });
    order = await placeOrder({ token: shopper.accessToken });

    const confirmation = await waitForMail(order, 'Ihre Bestellung');
    expect(confirmation).toMatchObject({ to: shopper.email, subject: `Ihre Bestellung ${order.number}`, language: 'de' });
    expect(confirmation.text).toContain('3 Artikel');
    // The name is the shopper's own text: escaped in the HTML part.
    expect(confirmation.html).toContain('Hallo Erika &lt;Mustermann&gt;,');
    expect(confirmation.html).not.toContain('<Mustermann>');

    await changeOrder('MarkOrderPaid', { id: order.id, reference: 'pi_test_1' });
    expect(await waitForMail(order, 'Zahlung')).toMatchObject({ subject: `Zahlung für Bestellung ${order.number} erhalten`, language: 'de' });

    // The shopper switches to French: the next messages follow.
    expect(await send('UpdateProfile', { input: { preferredLocale: 'fr' } }, { token: shopper.accessToken })).toMatchObject({ __typename: 'ProfileUpdated' });
    await changeOrder('FulfilOrder', { id: order.id });
    expect(await waitForMail(order, 'en route')).toMatchObject({ subject: `Votre commande ${order.number} est en route`, language: 'fr' });

    const [first, second] = order.lines;
    await changeOrder('RefundOrderLines', { id: order.id, lines: [{ lineId: first!.id, quantity: 1 }] });
    const partial = await waitForMail(order, 'Remboursement partiel');
    expect(partial.text).toMatch(/Nous vous avons remboursé 25,00\s€ sur votre commande/);
    await changeOrder('RefundOrderLines', { id: order.id, lines: [{ lineId: first!.id, quantity: 1 }, { lineId: second!.id, quantity: 1 }] });
    expect(await waitForMail(order, 'remboursée')).toMatchObject({ subject: `Commande ${order.number} remboursée`, language: 'fr' });

    // Another order's confirmation came after them: the worker went round again, and sent nothing twice.
    const later = await placeOrder({ token: shopper.accessToken });
    await waitForMail(later, 'Votre commande');
    expect(mailsAbout(order).map((mail) => mail.subject)).toEqual([
      `Ihre Bestellung ${order.number}`,
      `Zahlung für Bestellung ${order.number} erhalten`,
      `Votre commande ${order.number} est en route`,
      `Remboursement partiel de la commande ${order.number}`,
      `Commande ${order.number} remboursée`,
    ]);
    const sent = (await deliveries('SENT')).filter((delivery) => delivery.orderNumber === order.number);
    expect(sent.map((delivery) => [delivery.kind, delivery.locale, delivery.attempts, delivery.recipient]).sort()).toEqual(
      [
        ['ORDER_CONFIRMATION', 'de', 1, shopper.email],
        ['PAYMENT_RECEIVED', 'de', 1, shopper.email],
        ['SHIPPED', 'fr', 1, shopper.email],
        ['REFUNDED', 'fr', 1, shopper.email],
        ['REFUNDED', 'fr', 1, shopper.email],
      ].sort(),
    );
  });

  it('writes to a guest’s address in the order’s language, and tells of a cancellation', async () => {
    const email = `guest-${randomUUID()}@example.com`;
    const guestOrder = await placeOrder({ email, headers: { 'accept-language': 'es' } });
    expect(await waitForMail(guestOrder, 'Tu pedido')).toMatchObject({ to: email, subject: `Tu pedido ${guestOrder.number}`, language: 'es' });
    await changeOrder('CancelOrder', { id: guestOrder.id, reason: 'test' });
    expect(await waitForMail(guestOrder, 'cancelado')).toMatchObject({ to: email, subject: `Pedido ${guestOrder.number} cancelado`, language: 'es' });
  });

  it('retries a refusing relay with growing delays, dead-letters the message for admins, and sends it once retried', async () => {
    const email = `refused-${randomUUID()}@example.com`;
    graph.mailbox.refuse(email);
    const refused = await placeOrder({ email });
    const pending = await eventually(async () => {
      // Its first attempt failed (while an attempt is under way, its error is not written yet).
      const found = (await deliveries('PENDING')).find((delivery) => delivery.orderNumber === refused.number && delivery.attempts === 1 && delivery.lastError !== null);
      expect(found).toBeDefined();
      return found!;
    });
    // Waiting for its next attempt: at least half the base delay (200 ms, with jitter) after the first.
    expect(Date.parse(pending.nextAttemptAt!) - Date.parse(pending.lastAttemptAt!)).toBeGreaterThanOrEqual(100);
    expect(pending.lastError).toMatch(/550|mailbox unavailable/);

    const dead = await eventually(async () => {
      const found = (await deliveries('DEAD')).find((delivery) => delivery.orderNumber === refused.number);
      expect(found).toMatchObject({ kind: 'ORDER_CONFIRMATION', status: 'DEAD', attempts: 3, nextAttemptAt: null, sentAt: null, recipient: email });
      return found!;
    });
    expect(dead.lastError).toMatch(/550|mailbox unavailable/);
    expect(graph.mailbox.to(email)).toEqual([]);

    // Only admins see or retry deliveries.
    const customer = await graph.mintAccessToken({ userId: randomUUID() });
    expect((await graph.request(op('NotificationDeliveries'), { status: 'DEAD' }, { token: customer })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await graph.request(op('RetryNotification'), { id: dead.id }, { token: customer })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    graph.mailbox.accept(email);
    expect(await send('RetryNotification', { id: dead.id }, { token: admin })).toMatchObject({ __typename: 'NotificationRetried', delivery: { id: dead.id, status: 'PENDING', attempts: 0 } });
    expect(await waitForMail(refused, 'Your order')).toMatchObject({ to: email, language: 'en' });
    await eventually(async () => expect((await deliveries('SENT')).find((delivery) => delivery.id === dead.id)).toMatchObject({ attempts: 1, lastError: null }));
    // Sent is sent: never again.
    expect(await send('RetryNotification', { id: dead.id }, { token: admin })).toMatchObject({ __typename: 'ValidationFailed', fields: [{ field: 'id', code: 'UNAVAILABLE' }] });
    expect(await send('RetryNotification', { id: randomUUID() }, { token: admin })).toMatchObject({ __typename: 'NotFound' });
    expect(graph.mailbox.to(email)).toHaveLength(1);
  });

  it('sends nothing again after a restart, and carries on from where it stopped', async () => {
    const before = await graph.sql<{ count: number }[]>`select count(*)::int as count from notifications.deliveries`;
    await graph.stop();
    graph = await startTestGraph({ database, cartServiceRoles: ['checkout'], env });
    admin = await graph.mintAccessToken({ userId: randomUUID(), roles: ['customer', 'admin'] });
    const locations = (await graph.request<{ stockLocations: { id: string; code: string }[] }>(op('StockLocations'), {}, { token: admin })).body.data!.stockLocations;
    central = locations.find((location) => location.code === 'central')!.id;

    const email = `after-restart-${randomUUID()}@example.com`;
    const next = await placeOrder({ email });
    await waitForMail(next, 'Your order');
    // The new process's mailbox holds that one confirmation and nothing about earlier orders.
    expect(graph.mailbox.received.map((mail) => mail.subject)).toEqual([`Your order ${next.number}`]);
    expect(await graph.sql`select count(*)::int as count from notifications.deliveries`).toEqual([{ count: before[0]!.count + 1 }]);
    expect(await graph.sql`select event_id, kind from notifications.deliveries group by event_id, kind having count(*) > 1`).toEqual([]);
  });
});

describe('account deletion', () => {
  const erase = 'mutation { eraseNotificationsAccountData { __typename ... on AccountDataErased { userId } } }';

  /** Every row of the notifications schema that mentions one of `needles`, as JSON text. */
  async function mentioning(needles: string[]): Promise<string[]> {
    const rows = await graph.sql<{ row: string }[]>`
      select row_to_json(d)::text as row from notifications.deliveries d
      union all select row_to_json(e)::text from notifications.erased_deliveries e
      union all select row_to_json(f)::text from notifications.feed_positions f`;
    return rows.map(({ row }) => row).filter((row) => needles.some((needle) => row.toLowerCase().includes(needle.toLowerCase())));
  }

  const keysOf = async (order: Order) =>
    graph.sql<{ kind: string }[]>`select e.kind from notifications.erased_deliveries e join orders.outbox o on o.id = e.event_id where o.order_id = ${order.id} order by e.kind`;

  it('erases the account’s deliveries, sent or pending, keeping only their event and kind: an event read again sends nothing', async () => {
    const shopper = await registerUser(graph);
    const name = `Ottilie Erased ${randomUUID().slice(0, 8)}`;
    const order = await placeOrder({ token: shopper.accessToken, fullName: name });
    await waitForMail(order, 'Your order');
    // The relay refuses the next message: it waits for a retry, with the address and the error it got.
    graph.mailbox.refuse(shopper.email);
    await changeOrder('MarkOrderPaid', { id: order.id, reference: `pi_erased_${randomUUID().slice(0, 8)}` });
    await eventually(async () =>
      expect(await graph.sql`select status, recipient from notifications.deliveries where data->>'orderNumber' = ${order.number} and last_error is not null`).toEqual([
        { status: 'pending', recipient: shopper.email },
      ]),
    );
    const needles = [shopper.id, shopper.email, name, order.number];
    expect(await mentioning(needles)).toHaveLength(2);

    // Only the erasure role may erase, admins included; refused, it erases nothing.
    for (const token of [shopper.accessToken, await graph.mintAccessToken({ userId: shopper.id, roles: ['customer', 'admin'] })]) {
      const refused = await graph.request(erase, {}, { token });
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await mentioning(needles)).toHaveLength(2);

    // The account still exists here (the auth service's erasure is called the same way once it is deleted): the
    // only thing keeping its events from being sent again is the key each erased delivery leaves.
    const eraser = await graph.mintAccessToken({ userId: shopper.id, roles: [ACCOUNT_ERASURE_ROLE] });
    for (let attempt = 0; attempt < 2; attempt++) {
      const erased = await graph.request(erase, {}, { token: eraser });
      expect({ data: erased.body.data, errors: erased.body.errors }).toEqual({ data: { eraseNotificationsAccountData: { __typename: 'AccountDataErased', userId: shopper.id } }, errors: undefined });
    }
    expect(await mentioning(needles)).toEqual([]);
    expect(await keysOf(order)).toEqual([{ kind: 'order_confirmation' }, { kind: 'payment_received' }]);
    expect(await graph.sql`select * from notifications.erased_deliveries limit 1`).toEqual([{ event_id: expect.any(String), kind: expect.any(String) }]);

    // The whole feed is read again from its start, up to an order placed after it: nothing of the erased account's
    // order is queued or sent again, though the account and its order are still there.
    graph.mailbox.accept(shopper.email);
    const mailsBefore = mailsAbout(order).length;
    await graph.sql`delete from notifications.feed_positions`;
    const after = await placeOrder({ email: `after-erasure-${randomUUID()}@example.com` });
    await waitForMail(after, 'Your order');
    expect(await mentioning(needles)).toEqual([]);
    expect(mailsAbout(order)).toHaveLength(mailsBefore);
  });

  it('reaches the notifications service when the account is deleted (the auth service’s outbox, through the router)', async () => {
    const shopper = await registerUser(graph);
    const name = `Bartholomew Deleted ${randomUUID().slice(0, 8)}`;
    const order = await placeOrder({ token: shopper.accessToken, fullName: name });
    await waitForMail(order, 'Your order');
    const needles = [shopper.id, shopper.email, name, order.number];
    expect(await mentioning(needles)).toHaveLength(1);

    expect(await send('DeleteAccount', { password: shopper.password }, { token: shopper.accessToken })).toMatchObject({ __typename: 'AccountDeleted' });
    await eventually(async () => expect(await mentioning(needles)).toEqual([]));
    expect(await keysOf(order)).toEqual([{ kind: 'order_confirmation' }]);
    // A message of the order after that has nobody to write to (the order is nobody's now): nothing is queued or sent.
    await changeOrder('MarkOrderPaid', { id: order.id, reference: `pi_deleted_${randomUUID().slice(0, 8)}` });
    const later = await placeOrder({ email: `after-deletion-${randomUUID()}@example.com` });
    await waitForMail(later, 'Your order');
    expect(await mentioning(needles)).toEqual([]);
    expect(mailsAbout(order).map((mail) => mail.subject)).toEqual([`Your order ${order.number}`]);
  });
});
