import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_TYPE, ServiceTokenError, createLogger, createServiceTokenSource, newNodeId, serviceSubject } from '@meridian/platform';
import { loadPersistedQueryManifest, type PersistedQueryManifest } from '@meridian/schema';
import { AUDIENCE, ISSUER, startTestGraph, type TestGraph } from './support/graph.js';
import { registerUser, sampleAddress, type SignedInUser } from './support/seed.js';

// Services that call others with a service identity (README "Security", "Service identities").
const secrets = { orders: randomBytes(32).toString('base64url'), cart: randomBytes(32).toString('base64url'), payments: randomBytes(32).toString('base64url') };
const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');

let graph: TestGraph;
let manifest: PersistedQueryManifest;
let admin: string;
let user: SignedInUser;
let locationId: string;
const log = createLogger({ service: 'test', level: 'silent' });

type Result = Record<string, unknown> & { __typename: string };

/** An operation of the persisted query list, sent exactly as listed, as a router in safelist mode (production's default) requires. */
function listed(name: string): string {
  const body = manifest.operations.find((operation) => operation.name === name)?.body;
  if (body === undefined) throw new Error(`${name} is not in the persisted query list`);
  return body;
}

async function send(name: string, variables: Record<string, unknown>, token?: string): Promise<Result> {
  const response = await graph.request<Record<string, Result>>(listed(name), variables, token ? { token } : {});
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return Object.values(response.body.data!)[0]!;
}

const issue = (clientId: string, clientSecret: string) => send('IssueServiceToken', { clientId, clientSecret });

const sourceFor = (clientId: string, clientSecret: string) => createServiceTokenSource({ routerUrl: () => graph.routerUrl, clientId, clientSecret, manifest, log });

/** A variant with `quantity` units in the test's location, received by an admin. */
async function stocked(quantity: number): Promise<string> {
  const variantId = newNodeId('ProductVariant');
  expect(await send('ReceiveStock', { input: { variantId, locationId, quantity } }, admin)).toMatchObject({ __typename: 'StockLevelChanged' });
  return variantId;
}

/** What the token source's token can do: reserve a unit through the router, and give it back. */
async function reservesAndReleases(token: string): Promise<void> {
  const variantId = await stocked(1);
  const reservation = await send('Reserve', { lines: [{ variantId, quantity: 1 }] }, token);
  expect(reservation).toMatchObject({ __typename: 'Reservation', status: 'ACTIVE', lines: [{ variant: { id: variantId }, quantity: 1 }] });
  expect(await send('Release', { reservationId: reservation.id }, token)).toMatchObject({ __typename: 'ReservationReleased' });
}

async function serviceAudit(): Promise<{ kind: string; user_id: string | null; details: Record<string, unknown> }[]> {
  // The test graph's own services (`*-in-process`: the checkout, the cart, notifications, payments) take tokens whenever they need one.
  return graph.sql`select kind, user_id, details from auth.audit_events where kind like 'service_token%'
    and coalesce(details->>'clientId', '') not like '%-in-process' order by occurred_at, id`;
}

beforeAll(async () => {
  manifest = await loadPersistedQueryManifest();
  graph = await startTestGraph({
    env: {
      SERVICE_CLIENTS: JSON.stringify([
        { id: 'orders', secretSha256: sha256(secrets.orders), roles: ['checkout'] },
        { id: 'cart', secretSha256: sha256(secrets.cart), roles: ['checkout'] },
        { id: 'payments', secretSha256: sha256(secrets.payments), roles: ['payments'] },
      ]),
      // Eight attempts per client and hour: the rate-limit test uses up the cart's; the orders client makes six.
      RATE_LIMIT_SERVICE_TOKEN_IDENTIFIER: '8/3600',
    },
  });
  [admin, user] = await Promise.all([graph.mintAccessToken({ userId: randomUUID(), roles: ['customer', 'admin'] }), registerUser(graph)]);
  const created = await send('CreateStockLocation', { input: { code: 'service-1', name: 'Service warehouse' } }, admin);
  locationId = (created.location as { id: string }).id;
});
afterAll(() => graph?.stop());

describe('client credentials', () => {
  it('gives the right credentials a five-minute token of the client, which reserves stock through the router', async () => {
    const token = await sourceFor('orders', secrets.orders)();
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: ISSUER, aud: AUDIENCE, sub: serviceSubject('orders'), client_id: 'orders', roles: ['checkout'] });
    expect(claims.exp! - claims.iat!).toBe(300);
    await reservesAndReleases(token);
    // Public reads work with it too.
    expect(await send('Shop', {}, token)).toMatchObject({ defaultCurrency: 'EUR' });
  });

  it('answers a wrong secret and an unknown client with the same InvalidClientCredentials, audited without the secret', async () => {
    const before = (await serviceAudit()).length;
    const wrongSecret = await issue('orders', secrets.cart);
    const unknownClient = await issue('shipping', secrets.orders);
    const noSecret = await issue('orders', '');
    expect(wrongSecret).toEqual({ __typename: 'InvalidClientCredentials', code: 'INVALID_CLIENT_CREDENTIALS', message: 'The client id or secret is incorrect' });
    expect(unknownClient).toEqual(wrongSecret);
    expect(noSecret).toEqual(wrongSecret);
    const refusal = await sourceFor('orders', 'not the secret')().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ServiceTokenError);
    expect(refusal).toMatchObject({ code: 'INVALID_CLIENT_CREDENTIALS' });

    const events = (await serviceAudit()).slice(before);
    expect(events.map(({ kind, details }) => [kind, details.clientId, details.reason])).toEqual([
      ['service_token_refused', 'orders', 'wrong_secret'],
      ['service_token_refused', null, 'unknown_client'],
      ['service_token_refused', 'orders', 'wrong_secret'],
      ['service_token_refused', 'orders', 'wrong_secret'],
    ]);
    const issued = (await serviceAudit()).filter((event) => event.kind === 'service_token_issued');
    expect(issued[0]).toMatchObject({ user_id: null, details: { clientId: 'orders', roles: 'checkout' } });
    expect(JSON.stringify(await graph.sql`select * from auth.audit_events`)).not.toContain(secrets.orders);
  });

  it('counts attempts per client like sign-ins: RateLimited after the limit, made-up clients never counted against one', async () => {
    for (let attempt = 0; attempt < 7; attempt++) expect(await issue('cart', secrets.cart)).toMatchObject({ __typename: 'ServiceToken' });
    expect(await issue('cart', 'a guess')).toMatchObject({ __typename: 'InvalidClientCredentials' });
    expect(await issue('cart', secrets.cart)).toMatchObject({ __typename: 'RateLimited', code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    // Counted per client address only (generous here), so they fill no client's counter.
    for (let attempt = 0; attempt < 10; attempt++) expect(await issue('made-up', 'a guess')).toMatchObject({ __typename: 'InvalidClientCredentials' });
    // The orders client is not affected by the cart's limit.
    expect(await issue('orders', secrets.orders)).toMatchObject({ __typename: 'ServiceToken', expiresIn: 300 });
  });
});

describe('what a service token reaches', () => {
  let token: string;
  beforeAll(async () => {
    token = await sourceFor('orders', secrets.orders)();
  });

  it('is nobody: me is null, as without a token', async () => {
    expect(await send('Me', {}, token)).toBeNull();
    expect(await send('Me', {}, token)).toEqual(await send('Me', {}, undefined));
  });

  it("is refused every user's field and every admin's, and writes nothing", async () => {
    const [profiles, addresses] = [await graph.count('users.profiles'), await graph.count('users.addresses')];
    for (const [name, variables, code] of [
      ['AddAddress', { input: sampleAddress }, 'FORBIDDEN'],
      ['UpdateProfile', { input: { displayName: 'Orders' } }, 'FORBIDDEN'],
      ['LogoutEverywhere', {}, 'FORBIDDEN'],
      ['ChangePassword', { currentPassword: 'x', newPassword: 'a perfectly fine passphrase' }, 'FORBIDDEN'],
      ['Users', {}, 'FORBIDDEN'],
      ['CreateStockLocation', { input: { code: 'nope', name: 'Nope' } }, 'FORBIDDEN'],
      ['Logout', {}, 'UNAUTHENTICATED'],
    ] as const) {
      const response = await graph.request(listed(name), variables, { token });
      expect({ name, codes: response.body.errors?.map((error) => error.extensions?.code) }).toEqual({ name, codes: [code] });
    }
    expect([await graph.count('users.profiles'), await graph.count('users.addresses')]).toEqual([profiles, addresses]);
    // The user's own data stays theirs: the token cannot read it by reference either.
    const node = await graph.request<{ node: unknown }>(listed('Node'), { id: user.id }, { token });
    expect(node.body.data?.node ?? null).toBeNull();
  });

  it("is not ended by any user's logout or revocation: it lives until it expires", async () => {
    const { sid } = decodeJwt(token) as { sid: string };
    expect(await send('RevokeSession', { id: sid }, user.accessToken)).toMatchObject({ __typename: 'NotFound' });
    expect(await send('LogoutEverywhere', {}, user.accessToken)).toMatchObject({ __typename: 'SessionsEnded' });
    // The router reads ended sessions every 200 ms here.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const refused = await graph.request(listed('Me'), {}, { token: user.accessToken });
    expect(refused.status).toBe(401);
    await reservesAndReleases(token);
  });

  it('holds only its own role: payments records on orders but reserves no stock; checkout records no payment or refund', async () => {
    const payments = await sourceFor('payments', secrets.payments)();
    const codes = async (name: string, variables: Record<string, unknown>, as: string) => (await graph.request(listed(name), variables, { token: as })).body.errors?.map((error) => error.extensions?.code);
    const variantId = await stocked(1);
    const reservations = async () => (await graph.sql<{ count: number }[]>`select count(*)::int as count from inventory.reservations`)[0]!.count;
    const before = await reservations();
    expect(await codes('Reserve', { lines: [{ variantId, quantity: 1 }] }, payments)).toEqual(['FORBIDDEN']);
    expect(await reservations()).toBe(before);
    // `token` is the orders service's (`checkout`): paying and refunding orders is no longer its business.
    const orderId = randomUUID();
    expect(await codes('RecordOrderPayment', { id: orderId, reference: 'pay-1' }, token)).toEqual(['FORBIDDEN']);
    expect(await codes('RecordOrderRefund', { id: orderId, amountMinorUnits: '100', reference: 'refund-1' }, token)).toEqual(['FORBIDDEN']);
    // The payments role reaches both (an unknown order is NotFound), and the guest order read.
    expect(await send('RecordOrderPayment', { id: orderId, reference: 'pay-1' }, payments)).toMatchObject({ __typename: 'NotFound' });
    expect(await send('RecordOrderRefund', { id: orderId, amountMinorUnits: '100', reference: 'refund-1' }, payments)).toMatchObject({ __typename: 'NotFound' });
    expect(await send('PaymentGuestOrder', { id: orderId, cartToken: 'any' }, payments)).toBeNull();
    expect(await codes('PaymentGuestOrder', { id: orderId, cartToken: 'any' }, token)).toEqual(['FORBIDDEN']);
  });

  it('is refused once expired, and a token the auth service would never issue is refused too', async () => {
    const signed = async (claims: Record<string, unknown>, expiresAt: number) =>
      new SignJWT({ sid: randomUUID(), ...claims })
        .setProtectedHeader({ alg: 'EdDSA', kid: graph.authKeys[0]!.kid, typ: ACCESS_TOKEN_TYPE })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(serviceSubject('orders'))
        .setJti(randomUUID())
        .setIssuedAt(expiresAt - 300)
        .setExpirationTime(expiresAt)
        .sign(graph.authKeys[0]!.privateKey);
    const now = Math.floor(Date.now() / 1000);
    const variantId = await stocked(1);
    for (const [claims, expiresAt, message] of [
      [{ client_id: 'orders', roles: ['checkout'] }, now - 60, 'The access token has expired'],
      [{ client_id: 'orders', roles: ['checkout', 'admin'] }, now + 300, 'The access token is invalid'],
    ] as const) {
      const response = await graph.request(listed('Reserve'), { lines: [{ variantId, quantity: 1 }] }, { token: await signed(claims, expiresAt) });
      expect(response.status).toBe(401);
      expect(response.body.errors?.[0]).toMatchObject({ message, extensions: { code: 'UNAUTHENTICATED' } });
    }
    expect(await send('StockLevels', { variantIds: [variantId] }, admin)).toMatchObject([{ reserved: 0 }]);
  });
});

describe('the graph in one process (pnpm start, test graphs)', () => {
  it("gives the cart an identity of its own: it tells a shopper how many units are left, which only the checkout role may read", async () => {
    const tag = randomUUID().slice(0, 8);
    const product = await send('CreateProduct', { input: { translations: [{ locale: 'en', name: `Identity fixture ${tag}`, slug: `identity-fixture-${tag}` }] } }, admin);
    const created = await send('CreateVariant', { input: { productId: (product.product as { id: string }).id, sku: `ID-${tag}`, prices: [{ currency: 'EUR', amount: '5.00' }] } }, admin);
    const variantId = (created.variant as { id: string }).id;
    expect(await send('ReceiveStock', { input: { variantId, locationId, quantity: 3 } }, admin)).toMatchObject({ __typename: 'StockLevelChanged' });
    const cart = await send('CreateCart', {});
    const key = { cartId: (cart.cart as { id: string }).id, cartToken: cart.cartToken };
    // In stock, but fewer than asked for: only the exact level (the cart's own service token) tells.
    expect(await send('AddToCart', { ...key, variantId, quantity: 4 })).toMatchObject({ __typename: 'OutOfStock', shortages: [{ variant: { id: variantId }, requested: 4, available: 3 }] });
    expect(await send('AddToCart', { ...key, variantId, quantity: 3 })).toMatchObject({ __typename: 'CartLineAdded' });
  });
});
