import { createHash, randomUUID } from 'node:crypto';
import { isEnumType } from 'graphql';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newNodeId } from '@meridian/platform';
import { apiSchemaOf, loadServiceOperationsDocument, loadSupergraphSdl, operationText } from '@meridian/schema';
import { eventually } from './support/eventually.js';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import { registerUser, sampleAddress, type SignedInUser } from './support/seed.js';

let graph: TestGraph;
let user: SignedInUser;
let full: SignedInUser;
let adminToken: string;
const admin = () => adminToken;

/** Retries until the answer carries `code` (the localization service caches the shop's settings for a second). */
async function eventuallyAnswered(answer: () => Promise<Record<string, unknown>>, code: string): Promise<Record<string, unknown>> {
  return eventually(async () => {
    const result = await answer();
    expect(result.code).toBe(code);
    return result;
  });
}

beforeAll(async () => {
  // One refresh per address and hour: the second refresh of this file is the RateLimited one.
  // Cards only: PayPal is then a method the shop does not offer (PAYMENT_METHOD_UNAVAILABLE).
  graph = await startTestGraph({ env: { RATE_LIMIT_REFRESH_IP: '1/3600', ORDERS_RECOVERY_MS: '200', PAYMENT_METHODS: '[{"method":"CARD","countries":["*"],"currencies":["*"]}]' } });
  [user, full] = await Promise.all([registerUser(graph), registerUser(graph)]);
  adminToken = await graph.mintAccessToken({ userId: user.id, roles: ['customer', 'admin'] });
  // A full address book (100 entries), written directly: a fixture, not the behaviour under test.
  await graph.sql`
    insert into users.addresses (id, user_id, full_name, line1, city, postal_code, country_code)
    select gen_random_uuid(), ${full.id}, 'Full Book', n || ' Downing Street', 'London', 'SW1A 2AA', 'GB' from generate_series(1, 100) as n`;
});
afterAll(() => graph?.stop());

async function enumValues(name: string): Promise<string[]> {
  const type = apiSchemaOf(await loadSupergraphSdl()).getType(name);
  if (!isEnumType(type)) throw new Error(`${name} is not an enum`);
  return type.getValues().map((value) => value.name);
}

/** Runs a client operation from schema/operations and returns its only root field. */
async function run(name: string, variables: Record<string, unknown>, token?: string): Promise<Record<string, unknown>> {
  const response = await graph.request<Record<string, Record<string, unknown>>>(op(name), variables, token ? { token } : {});
  expect(response.body.errors).toBeUndefined();
  return Object.values(response.body.data!)[0]!;
}

/** Runs an operation the services send (schema/service-operations), e.g. the checkout's `Reserve`. */
async function runService(name: string, variables: Record<string, unknown>, token?: string): Promise<Record<string, unknown>> {
  const response = await graph.request<Record<string, Record<string, unknown>>>(operationText(loadServiceOperationsDocument(), name), variables, token ? { token } : {});
  expect(response.body.errors).toBeUndefined();
  return Object.values(response.body.data!)[0]!;
}

/** A token of the checkout service's calls (the `checkout` role, which no account has). */
const checkout = () => graph.mintAccessToken({ userId: randomUUID(), roles: ['checkout'] });

/** How each ErrorCode is produced through the router: the operation's answer carries that code. */
const errorCodes: Record<string, () => Promise<Record<string, unknown>>> = {
  INVALID_CREDENTIALS: () => run('Login', { input: { email: user.email, password: 'not the password' } }),
  INVALID_CLIENT_CREDENTIALS: () => runService('IssueServiceToken', { clientId: 'orders', clientSecret: 'not a configured secret' }),
  PASSWORD_TOO_WEAK: () => run('Register', { input: { email: `weak-${randomUUID()}@example.com`, password: 'short' } }),
  INVALID_EMAIL: () => run('Register', { input: { email: 'not an address', password: 'a perfectly fine passphrase' } }),
  INVALID_REFRESH_TOKEN: () => run('RefreshSession', { refreshToken: 'not a refresh token' }),
  RATE_LIMITED: async () => {
    await run('RefreshSession', { refreshToken: 'not a refresh token either' });
    return run('RefreshSession', { refreshToken: 'not a refresh token either' });
  },
  VALIDATION_FAILED: () => run('UpdateProfile', { input: { displayName: 'x'.repeat(101) } }, user.accessToken),
  NOT_FOUND: () => run('DeleteAddress', { id: newNodeId('Address') }, user.accessToken),
  LIMIT_REACHED: () => run('AddAddress', { input: sampleAddress }, full.accessToken),
  INVALID_TOKEN: () => run('VerifyEmail', { token: 'not a link token' }),
  // A fresh shop sells in euros only and has no rates yet.
  RATE_UNAVAILABLE: async () => {
    await run('EnableCurrency', { code: 'JPY' }, admin());
    return eventuallyAnswered(() => run('Convert', { amount: '1.00', from: 'EUR', to: 'JPY' }), 'RATE_UNAVAILABLE');
  },
  CURRENCY_NOT_ENABLED: () => run('Convert', { amount: '1.00', from: 'EUR', to: 'CHF' }),
  DEFAULT_CANNOT_BE_DISABLED: () => run('DisableCurrency', { code: 'EUR' }, admin()),
  IDEMPOTENCY_KEY_REUSED: async () => {
    const idempotencyKey = randomUUID();
    await run('AddAddress', { input: sampleAddress, idempotencyKey }, user.accessToken);
    return run('AddAddress', { input: { ...sampleAddress, line2: 'Other' }, idempotencyKey }, user.accessToken);
  },
  DUPLICATE_SLUG: async () => {
    const input = { translations: [{ locale: 'en', name: 'Taken', slug: `taken-${randomUUID().slice(0, 8)}` }] };
    await run('CreateProduct', { input }, admin());
    return run('CreateProduct', { input }, admin());
  },
  DUPLICATE_SKU: async () => {
    const created = await run('CreateProduct', { input: { translations: [{ locale: 'en', name: 'Sku', slug: `sku-${randomUUID().slice(0, 8)}` }] } }, admin());
    const input = { productId: (created.product as { id: string }).id, sku: `SKU-${randomUUID().slice(0, 8)}` };
    await run('CreateVariant', { input }, admin());
    return run('CreateVariant', { input }, admin());
  },
  NEGATIVE_PRICE: () => run('SetVariantPrice', { variantId: newNodeId('ProductVariant'), price: { currency: 'EUR', amount: '-0.01' } }, admin()),
  OUT_OF_STOCK: async () => runService('Reserve', { lines: [{ variantId: newNodeId('ProductVariant'), quantity: 1 }] }, await checkout()),
  RESERVATION_CLOSED: async () => {
    const location = await run('CreateStockLocation', { input: { code: `closed-${randomUUID().slice(0, 8)}`, name: 'Closed' } }, admin());
    const variantId = newNodeId('ProductVariant');
    await run('ReceiveStock', { input: { variantId, locationId: (location.location as { id: string }).id, quantity: 1 } }, admin());
    const token = await checkout();
    const reservation = await runService('Reserve', { lines: [{ variantId, quantity: 1 }] }, token);
    await runService('Release', { reservationId: reservation.id }, token);
    return runService('Commit', { reservationId: reservation.id }, token);
  },
  INVALID_QUANTITY: () => run('AddToCart', { variantId: newNodeId('ProductVariant'), quantity: 0 }),
  DISCOUNT_NOT_APPLICABLE: async () => {
    const code = `LATER${randomUUID().slice(0, 8)}`;
    await run('CreateDiscountCode', { input: { code, percentage: '5', startsAt: new Date(Date.now() + 86_400_000).toISOString() } }, admin());
    const opened = await run('CreateCart', {});
    return run('ApplyDiscountCode', { cartId: (opened.cart as { id: string }).id, cartToken: opened.cartToken, code });
  },
  CART_EMPTY: async () => {
    const opened = await run('CreateCart', {});
    return run('Checkout', { cartId: (opened.cart as { id: string }).id, cartToken: opened.cartToken, idempotencyKey: randomUUID(), email: 'guest@example.com' });
  },
  PRICES_CHANGED: async () => {
    const key = await orderableCart();
    await run('SetVariantPrice', { variantId: key.variantId, price: { currency: 'EUR', amount: '11.00' } }, admin());
    return run('Checkout', { cartId: key.cartId, cartToken: key.cartToken, idempotencyKey: randomUUID(), email: 'guest@example.com' });
  },
  CART_ALREADY_ORDERED: async () => {
    const key = await orderableCart();
    const checkoutOnce = () => run('Checkout', { cartId: key.cartId, cartToken: key.cartToken, idempotencyKey: randomUUID(), email: 'guest@example.com' });
    expect(await checkoutOnce()).toMatchObject({ __typename: 'CheckoutCompleted' });
    return checkoutOnce();
  },
  CHECKOUT_IN_PROGRESS: async () => {
    const key = await orderableCart();
    // A checkout of the cart under way (its record, as a running worker holds it).
    const hash = createHash('sha256').update(key.cartToken).digest('base64url');
    await graph.sql`insert into orders.checkouts (idempotency_key, cart_id, cart_token_hash) values (${randomUUID()}, ${key.cartId}, ${hash})`;
    return run('Checkout', { cartId: key.cartId, cartToken: key.cartToken, idempotencyKey: randomUUID(), email: 'guest@example.com' });
  },
  CHECKOUT_ABANDONED: async () => {
    const key = await orderableCart();
    const idempotencyKey = randomUUID();
    // A checkout whose worker stopped before its order (tests/checkout-crash.test.ts crashes one for real): the recovery job undoes it.
    const hash = createHash('sha256').update(key.cartToken).digest('base64url');
    await graph.sql`insert into orders.checkouts (idempotency_key, cart_id, cart_token_hash, updated_at) values (${idempotencyKey}, ${key.cartId}, ${hash}, now() - interval '1 hour')`;
    await eventually(async () => expect((await graph.sql`select state from orders.checkouts where idempotency_key = ${idempotencyKey}`)[0]).toEqual({ state: 'failed' }));
    return run('Checkout', { cartId: key.cartId, cartToken: key.cartToken, idempotencyKey, email: 'guest@example.com' });
  },
  ILLEGAL_ORDER_TRANSITION: async () => {
    const key = await orderableCart();
    const done = await run('Checkout', { cartId: key.cartId, cartToken: key.cartToken, idempotencyKey: randomUUID(), email: 'guest@example.com' });
    return run('FulfilOrder', { id: (done.order as { id: string }).id }, admin());
  },
  // Payments run against the built-in Stripe stand-in (scripts/graph.ts); pm_card_chargeDeclined is Stripe's declined test card.
  PAYMENT_DECLINED: async () => run('PayOrder', { orderId: await ownOrder(), method: 'CARD', idempotencyKey: randomUUID(), paymentMethodToken: 'pm_card_chargeDeclined' }, user.accessToken),
  PAYMENT_METHOD_UNAVAILABLE: async () => run('PayOrder', { orderId: await ownOrder(), method: 'PAYPAL', idempotencyKey: randomUUID(), returnUrl: 'https://shop.example/paid' }, user.accessToken),
  ORDER_NOT_PAYABLE: async () => {
    const orderId = await ownOrder();
    expect(await run('CancelOrder', { id: orderId }, user.accessToken)).toMatchObject({ __typename: 'OrderUpdated' });
    return run('PayOrder', { orderId, method: 'CARD', idempotencyKey: randomUUID(), paymentMethodToken: 'pm_card_visa' }, user.accessToken);
  },
  ILLEGAL_PAYMENT_TRANSITION: async () => {
    // Started, not confirmed by the browser: nothing was captured, so nothing can be refunded.
    const started = await run('PayOrder', { orderId: await ownOrder(), method: 'CARD', idempotencyKey: randomUUID() }, user.accessToken);
    return run('RefundPayment', { paymentId: (started.payment as { id: string }).id, idempotencyKey: randomUUID() }, admin());
  },
  INVALID_SECOND_FACTOR: () => run('CompleteSecondFactor', { challengeId: randomUUID(), totp: '123456' }),
  SECOND_FACTOR_ALREADY_ENABLED: async () => {
    const owner = await registerUser(graph);
    const { secret } = (await run('StartTotpEnrollment', {}, owner.accessToken)) as { secret: string };
    await run('ConfirmTotpEnrollment', { code: await generate({ secret }) }, owner.accessToken);
    return run('StartTotpEnrollment', {}, owner.accessToken);
  },
  // A token without `auth_time` counts as an old sign-in.
  REAUTHENTICATION_REQUIRED: async () => run('GenerateRecoveryCodes', {}, await graph.mintAccessToken({ userId: user.id })),
};

/** A guest cart with one unit of a new variant (EUR 10.00, 10 in stock), shipping to Berlin by standard shipping. */
async function orderableCart(): Promise<{ cartId: string; cartToken: string; variantId: string }> {
  const tag = randomUUID().slice(0, 8);
  const product = await run('CreateProduct', { input: { translations: [{ locale: 'en', name: `Codes ${tag}`, slug: `codes-${tag}` }] } }, admin());
  const created = await run('CreateVariant', { input: { productId: (product.product as { id: string }).id, sku: `CODES-${tag}`, prices: [{ currency: 'EUR', amount: '10.00' }] } }, admin());
  const variantId = (created.variant as { id: string }).id;
  const location = await run('CreateStockLocation', { input: { code: `codes-${tag}`, name: 'Codes' } }, admin());
  await run('ReceiveStock', { input: { variantId, locationId: (location.location as { id: string }).id, quantity: 10 } }, admin());
  const added = await run('AddToCart', { variantId, quantity: 1 });
  const key = { cartId: (added.cart as { id: string }).id, cartToken: added.cartToken as string };
  await run('SetCartAddresses', { ...key, shipping: { address: { fullName: 'Erika Mustermann', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', countryCode: 'DE' } } });
  await run('SetShippingMethod', { ...key, code: 'standard' });
  return { ...key, variantId };
}

/** An order of `user` in PENDING_PAYMENT (one unit of a new variant, to Berlin): its id. */
async function ownOrder(): Promise<string> {
  const key = await orderableCart();
  const cartId = ((await run('CreateCart', {}, user.accessToken)).cart as { id: string }).id;
  await run('AddToCart', { cartId, variantId: key.variantId, quantity: 1 }, user.accessToken);
  await run('SetCartAddresses', { cartId, shipping: { address: { fullName: 'Erika Mustermann', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', countryCode: 'DE' } } }, user.accessToken);
  await run('SetShippingMethod', { cartId, code: 'standard' }, user.accessToken);
  const done = await run('Checkout', { cartId, idempotencyKey: randomUUID() }, user.accessToken);
  return (done.order as { id: string }).id;
}

/** How each FieldErrorCode is produced: the ValidationFailed answer names the field with that code. */
const fieldErrorCodes: Record<string, () => Promise<Record<string, unknown>>> = {
  REQUIRED: () => run('AddAddress', { input: { ...sampleAddress, fullName: '   ' } }, user.accessToken),
  TOO_LONG: () => run('UpdateProfile', { input: { displayName: 'x'.repeat(101) } }, user.accessToken),
  INVALID_FORMAT: () => run('UpdateProfile', { input: { displayName: 'Ada\u0007' } }, user.accessToken),
  INVALID_POSTAL_CODE: () => run('AddAddress', { input: { ...sampleAddress, postalCode: 'not a postcode' } }, user.accessToken),
  INVALID_REGION: () => run('AddAddress', { input: { ...sampleAddress, countryCode: 'US', region: 'Atlantis', postalCode: '94043' } }, user.accessToken),
  INVALID_PHONE: () => run('UpdateProfile', { input: { phone: '123' } }, user.accessToken),
  INVALID_LOCALE: () => run('UpdateProfile', { input: { preferredLocale: 'klingon-klingon' } }, user.accessToken),
  UNKNOWN_LINK_BASE: () => run('RequestPasswordReset', { email: user.email, linkBase: 'https://elsewhere.example' }),
  OUT_OF_RANGE: () => run('ReceiveStock', { input: { variantId: newNodeId('ProductVariant'), locationId: randomUUID(), quantity: 0 } }, admin()),
  ALREADY_TAKEN: async () => {
    const input = { code: `taken-${randomUUID().slice(0, 8)}`, name: 'Taken' };
    await run('CreateStockLocation', { input }, admin());
    return run('CreateStockLocation', { input }, admin());
  },
  UNAVAILABLE: async () => {
    // A shipping method depends on the address's country: without an address, none can be chosen.
    const opened = await run('CreateCart', {});
    return run('SetShippingMethod', { cartId: (opened.cart as { id: string }).id, cartToken: opened.cartToken, code: 'standard' });
  },
};

describe('every ErrorCode is produced', () => {
  it('has a way to produce each value of the enum, and no other', async () => {
    expect(Object.keys(errorCodes).sort()).toEqual((await enumValues('ErrorCode')).sort());
  });

  it.each(Object.keys(errorCodes))('%s', async (code) => {
    expect(await errorCodes[code]!()).toMatchObject({ code, message: expect.any(String) });
  });
});

describe('every FieldErrorCode is produced', () => {
  it('has a way to produce each value of the enum, and no other', async () => {
    expect(Object.keys(fieldErrorCodes).sort()).toEqual((await enumValues('FieldErrorCode')).sort());
  });

  it.each(Object.keys(fieldErrorCodes))('%s', async (code) => {
    expect(await fieldErrorCodes[code]!()).toMatchObject({
      __typename: 'ValidationFailed',
      code: 'VALIDATION_FAILED',
      fields: expect.arrayContaining([expect.objectContaining({ code })]),
    });
  });
});

describe('closed code lists are checked by GraphQL', () => {
  it('refuses a country, currency or role outside its enum with BAD_USER_INPUT, changing nothing', async () => {
    const before = await graph.count('users.addresses');
    for (const [name, variables] of [
      ['AddAddress', { input: { ...sampleAddress, countryCode: 'gb' } }],
      ['AddAddress', { input: { ...sampleAddress, countryCode: 'XK' } }],
      ['UpdateAddress', { id: newNodeId('Address'), input: { countryCode: 'UK' } }],
      ['UpdateProfile', { input: { preferredCurrency: 'XAU' } }],
      ['UpdateProfile', { input: { preferredCurrency: 'eur' } }],
      ['Users', { filter: { role: 'admin' } }],
    ] as const) {
      const response = await graph.request(op(name), variables, { token: user.accessToken });
      expect({ name, status: response.status, codes: response.body.errors?.map((error) => error.extensions?.code) }).toEqual({ name, status: 400, codes: ['BAD_USER_INPUT'] });
    }
    expect(await graph.count('users.addresses')).toBe(before);
  });
});
