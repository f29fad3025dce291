import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '@meridian/db';
import { seedDemoShop } from '../scripts/demo-shop.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { op } from './support/graph.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';
import { createServiceRoles, postGraphQL, startServices, type RunningServices, type ServiceRoles } from './support/service-processes.js';

// The orders process killed (SIGKILL, as by a crash or the OOM killer) in the middle of a checkout, at the two
// points where a crash could lose or duplicate something: after the stock is reserved but before the order is
// written, and after the order is written but before the cart is closed. After a restart nothing is lost, no
// stock stays held for good, and the idempotency key never makes a second order.

let database: TestDatabase;
let mailbox: Mailbox;
let roles: ServiceRoles;
let services: RunningServices;
let sql: postgres.Sql;
let variantId: string;

/** Short leases and a busy recovery job, so the test waits seconds, not the production half minute. */
const ORDERS_ENV = { NODE_ENV: 'test', ORDERS_CHECKOUT_LEASE_MS: '5000', ORDERS_RECOVERY_MS: '200', ORDERS_CHECKOUT_WAIT_MS: '15000' };

const graphql = (query: string, variables: Record<string, unknown> = {}) => postGraphQL(services.routerUrl, query, variables);

async function send(name: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  const answer = await graphql(op(name), variables);
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  return Object.values(answer.data!)[0]!;
}

/** A guest cart of two units, shipping to Berlin. */
async function readyCart(): Promise<{ cartId: string; cartToken: string }> {
  const added = await send('AddToCart', { variantId, quantity: 2 });
  expect(added).toMatchObject({ __typename: 'CartLineAdded' });
  const key = { cartId: (added.cart as { id: string }).id, cartToken: added.cartToken as string };
  expect(await send('SetCartAddresses', { ...key, shipping: { address: { fullName: 'Erika Mustermann', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', countryCode: 'DE' } } })).toMatchObject({ __typename: 'CartUpdated' });
  expect(await send('SetShippingMethod', { ...key, code: 'standard' })).toMatchObject({ __typename: 'CartUpdated' });
  return key;
}

const checkout = (key: { cartId: string; cartToken: string }, idempotencyKey: string) => graphql(op('Checkout'), { ...key, idempotencyKey, email: 'crash@example.com' });

async function reserved(): Promise<number> {
  const [row] = await sql<{ reserved: number }[]>`select coalesce(sum(reserved), 0)::int as reserved from inventory.stock_levels where variant_id = ${variantId}`;
  return row!.reserved;
}

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = await startMailbox();
  await migrateDatabase(database.url);
  await seedDemoShop(database.url);
  sql = postgres(database.url, { max: 2, onnotice: () => {} });
  // A demo variant sold in euros with plenty of units at one location.
  const [row] = await sql<{ id: string }[]>`
    select v.id from catalog.variants v
    join catalog.variant_prices p on p.variant_id = v.id and p.currency = 'EUR'
    join inventory.stock_levels l on l.variant_id = v.id
    where v.status = 'active' and l.on_hand - l.reserved >= 20
    order by v.id limit 1`;
  variantId = row!.id;
  roles = await createServiceRoles(database);
  services = await startServices({
    databaseUrls: { auth: roles.urlFor('auth'), users: roles.urlFor('users'), localization: roles.urlFor('localization'), catalog: roles.urlFor('catalog'), inventory: roles.urlFor('inventory'), cart: roles.urlFor('cart'), orders: roles.urlFor('orders'), notifications: roles.urlFor('notifications'), payments: roles.urlFor('payments') },
    smtpUrl: mailbox.url,
    env: { orders: { ...ORDERS_ENV, ORDERS_FAULT_STEP: 'after-reservation' } },
  });
});

afterAll(async () => {
  await services?.stopAll();
  await sql?.end();
  await database?.drop();
  await mailbox?.close();
  await roles?.drop();
});

describe('an orders process killed in the middle of a checkout', () => {
  it('between the reservation and the order: after a restart the reservation is released, no order exists, and the key answers CheckoutAbandoned', async () => {
    const key = await readyCart();
    const before = await reserved();
    const idempotencyKey = randomUUID();
    const answer = await checkout(key, idempotencyKey);
    expect(answer.data?.checkout).toBeFalsy();
    await eventually(async () => expect(services.processes.orders.child.signalCode).toBe('SIGKILL'));
    // What the crash left: a reservation held for a checkout that has no order.
    expect(await sql`select state from orders.checkouts where idempotency_key = ${idempotencyKey}`).toEqual([{ state: 'reserved' }]);
    expect(await reserved()).toBe(before + 2);
    expect(await sql`select id from orders.orders where cart_id = ${key.cartId}`).toEqual([]);

    await services.restart('orders', { ORDERS_FAULT_STEP: '' });
    // The recovery job undoes it once its lease ran out: the stock goes back, the key records the outcome.
    await eventually(async () => expect(await sql`select state from orders.checkouts where idempotency_key = ${idempotencyKey}`).toEqual([{ state: 'failed' }]), 20_000);
    expect(await reserved()).toBe(before);
    expect(await sql`select status from inventory.reservations r join orders.checkouts c on c.reservation_id = r.id where c.idempotency_key = ${idempotencyKey}`).toEqual([{ status: 'released' }]);
    expect(await send('Checkout', { ...key, idempotencyKey, email: 'crash@example.com' })).toMatchObject({ __typename: 'CheckoutAbandoned', code: 'CHECKOUT_ABANDONED' });
    // The cart was never ordered: a new key checks it out, once.
    const again = await send('Checkout', { ...key, idempotencyKey: randomUUID(), email: 'crash@example.com' });
    expect(again).toMatchObject({ __typename: 'CheckoutCompleted', order: { status: 'PENDING_PAYMENT' } });
    expect(await sql`select count(*)::int as count from orders.orders where cart_id = ${key.cartId}`).toEqual([{ count: 1 }]);
    expect(await reserved()).toBe(before + 2);
  });

  it('between the order and the hand-off: after a restart the same key answers the one order, and the cart is closed', async () => {
    await services.restart('orders', { ORDERS_FAULT_STEP: 'after-order' });
    const key = await readyCart();
    const before = await reserved();
    const idempotencyKey = randomUUID();
    const answer = await checkout(key, idempotencyKey);
    expect(answer.data?.checkout).toBeFalsy();
    await eventually(async () => expect(services.processes.orders.child.signalCode).toBe('SIGKILL'));
    // What the crash left: the order and its hand-off to payment, written together; the cart still open.
    const [order] = await sql<{ id: string }[]>`select id from orders.orders where cart_id = ${key.cartId}`;
    expect(order).toBeDefined();
    expect(await sql`select type from orders.outbox where order_id = ${order!.id}`).toEqual([{ type: 'order.placed' }]);
    expect(await sql`select status from cart.carts where id = ${key.cartId}`).toEqual([{ status: 'open' }]);

    await services.restart('orders', { ORDERS_FAULT_STEP: '' });
    // Sent again at once, the key answers the order that exists; the recovery job closes the cart once the lease ran out.
    const retried = await send('Checkout', { ...key, idempotencyKey, email: 'crash@example.com' });
    expect(retried).toMatchObject({ __typename: 'CheckoutCompleted', order: { id: order!.id } });
    await eventually(async () => expect(await sql`select state from orders.checkouts where idempotency_key = ${idempotencyKey}`).toEqual([{ state: 'completed' }]), 20_000);
    expect(await sql`select status, order_id from cart.carts where id = ${key.cartId}`).toEqual([{ status: 'ordered', order_id: order!.id }]);
    expect((await send('Checkout', { ...key, idempotencyKey, email: 'crash@example.com' })).order).toMatchObject({ id: order!.id });
    expect(await sql`select count(*)::int as count from orders.orders where cart_id = ${key.cartId}`).toEqual([{ count: 1 }]);
    // The stock stays reserved for the order, until it is paid (committed), cancelled or the reservation expires.
    expect(await reserved()).toBe(before + 2);
    const [reservation] = await sql<{ status: string; expires_in_minutes: number }[]>`
      select r.status, extract(epoch from r.expires_at - now()) / 60 as expires_in_minutes
      from inventory.reservations r join orders.orders o on o.reservation_id = r.id where o.id = ${order!.id}`;
    expect(reservation!.status).toBe('active');
    expect(Number(reservation!.expires_in_minutes)).toBeLessThanOrEqual(35);
  });
});
