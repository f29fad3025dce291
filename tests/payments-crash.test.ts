import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '@meridian/db';
import { startStripeStandIn, type StripeStandIn } from '@meridian/payments/stand-ins';
import { seedDemoShop } from '../scripts/demo-shop.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { op } from './support/graph.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';
import { createServiceRoles, postGraphQL, startServices, type RunningServices, type ServiceRoles } from './support/service-processes.js';

// The payments process killed (SIGKILL, as by a crash or the OOM killer) between Stripe's answer to a new
// PaymentIntent and its own write of that answer. The payment was recorded before Stripe was asked, with its
// id in the intent's metadata: when Stripe's webhook is replayed after a restart, it finds the payment, and
// the order ends PAID with exactly one PaymentIntent (one capture) at the provider.

let database: TestDatabase;
let mailbox: Mailbox;
let roles: ServiceRoles;
let services: RunningServices;
let sql: postgres.Sql;
let stripe: StripeStandIn;
let variantId: string;

const graphql = (query: string, variables: Record<string, unknown> = {}, token?: string) => postGraphQL(services.routerUrl, query, variables, token);

async function send(name: string, variables: Record<string, unknown>, token?: string): Promise<Record<string, unknown>> {
  const answer = await graphql(op(name), variables, token);
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  return Object.values(answer.data!)[0]!;
}

/** A verified, signed-in shopper: register, follow the mailed link. */
async function signUp(): Promise<string> {
  const email = `crash-${randomUUID()}@example.com`;
  expect(await send('Register', { input: { email, password: 'a perfectly fine passphrase' } })).toMatchObject({ __typename: 'VerificationEmailSent' });
  const mail = await mailbox.waitFor((received) => received.to === email && received.link?.includes('/verify-email') === true);
  const session = await send('VerifyEmail', { token: mail.token });
  return session.accessToken as string;
}

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = await startMailbox();
  await migrateDatabase(database.url);
  await seedDemoShop(database.url);
  sql = postgres(database.url, { max: 2, onnotice: () => {} });
  const [row] = await sql<{ id: string }[]>`
    select v.id from catalog.variants v
    join catalog.variant_prices p on p.variant_id = v.id and p.currency = 'EUR'
    join inventory.stock_levels l on l.variant_id = v.id
    where v.status = 'active' and l.on_hand - l.reserved >= 10
    order by v.id limit 1`;
  variantId = row!.id;
  // Webhooks only when the test sends them: none may reach the service before it dies.
  stripe = await startStripeStandIn({ delivery: 'manual' });
  roles = await createServiceRoles(database);
  services = await startServices({
    databaseUrls: {
      auth: roles.urlFor('auth'),
      users: roles.urlFor('users'),
      localization: roles.urlFor('localization'),
      catalog: roles.urlFor('catalog'),
      inventory: roles.urlFor('inventory'),
      cart: roles.urlFor('cart'),
      orders: roles.urlFor('orders'),
      notifications: roles.urlFor('notifications'),
      payments: roles.urlFor('payments'),
    },
    smtpUrl: mailbox.url,
    env: {
      payments: {
        NODE_ENV: 'test',
        PAYMENTS_FAULT_STEP: 'after-provider-call',
        PAYMENTS_ORDER_SYNC_MS: '200',
        STRIPE_SECRET_KEY: stripe.secretKey,
        STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
        STRIPE_API_BASE_URL: stripe.url,
      },
    },
  });
  stripe.setWebhookUrl(`http://127.0.0.1:${services.ports.payments}/webhooks/stripe`);
});

afterAll(async () => {
  await services?.stopAll();
  await stripe?.close();
  await sql?.end();
  await database?.drop();
  await mailbox?.close();
  await roles?.drop();
});

describe('a payments process killed between the provider call and its database write', () => {
  it('recovers from the replayed webhook: one PaymentIntent, the payment captured, the order PAID; the same key answers the same payment', async () => {
    const token = await signUp();
    const added = await send('AddToCart', { variantId, quantity: 1 }, token);
    const cartId = (added.cart as { id: string }).id;
    await send('SetCartAddresses', { cartId, shipping: { address: { fullName: 'Erika Mustermann', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', countryCode: 'DE' } } }, token);
    await send('SetShippingMethod', { cartId, code: 'standard' }, token);
    const order = (await send('Checkout', { cartId, idempotencyKey: randomUUID() }, token)).order as { id: string; total: { minorUnits: string } };

    const idempotencyKey = randomUUID();
    const answer = await graphql(op('PayOrder'), { orderId: order.id, method: 'CARD', idempotencyKey, paymentMethodToken: 'pm_card_visa' }, token);
    expect(answer.data?.payOrder).toBeFalsy();
    await eventually(async () => expect(services.processes.payments.child.signalCode).toBe('SIGKILL'));

    // What the crash left: the payment recorded without Stripe's answer; Stripe has the one PaymentIntent, succeeded.
    const [payment] = await sql<{ id: string; status: string; provider_ref: string | null }[]>`select id, status, provider_ref from payments.payments where idempotency_key = ${idempotencyKey}`;
    expect(payment).toMatchObject({ status: 'created', provider_ref: null });
    const intents = () => [...stripe.intents().values()].filter((intent) => (intent.metadata as Record<string, string>).meridian_payment_id === payment!.id);
    expect(intents()).toHaveLength(1);
    expect(intents()[0]).toMatchObject({ status: 'succeeded', amount: Number(order.total.minorUnits) });
    expect(await sql`select status from orders.orders where id = ${order.id}`).toEqual([{ status: 'PENDING_PAYMENT' }]);

    await services.restart('payments', { PAYMENTS_FAULT_STEP: '' });
    const succeeded = stripe.events().find((event) => event.type === 'payment_intent.succeeded' && event.data.object.id === intents()[0]!.id)!;
    expect(await stripe.deliver(succeeded)).toBe(200);
    expect(await stripe.deliver(succeeded)).toBe(200);

    await eventually(async () => expect(await sql`select status from orders.orders where id = ${order.id}`).toEqual([{ status: 'PAID' }]), 20_000);
    expect(await sql`select status, provider_ref, captured_minor::text as captured from payments.payments where id = ${payment!.id}`).toEqual([
      { status: 'captured', provider_ref: intents()[0]!.id, captured: order.total.minorUnits },
    ]);
    expect(await sql`select count(*)::int as count from payments.provider_events where payment_id = ${payment!.id}`).toEqual([{ count: 1 }]);
    expect(await sql`select count(*)::int as count from orders.order_events where order_id = ${order.id} and event = 'pay'`).toEqual([{ count: 1 }]);

    // The shopper's retry with the same key answers the same payment; Stripe still has one PaymentIntent.
    expect(await send('PayOrder', { orderId: order.id, method: 'CARD', idempotencyKey, paymentMethodToken: 'pm_card_visa' }, token)).toMatchObject({
      __typename: 'PaymentStarted',
      payment: { id: payment!.id, status: 'CAPTURED' },
    });
    expect(intents()).toHaveLength(1);
  });
});
