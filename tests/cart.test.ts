import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newNodeId } from '@meridian/platform';
import { seedDemoShop } from '../scripts/demo-shop.js';
import { eventually } from './support/eventually.js';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import { registerUser, sampleAddress, type SignedInUser } from './support/seed.js';

// The cart through the router, on the demo shop, with variants of its own made through the admin API.
// The cart reads exact stock levels here with a token that may (see tests/support/graph.ts).

const statements: string[] = [];
let graph: TestGraph;
let admin: string;
let central: string;
let shopper: SignedInUser;
let other: SignedInUser;

type Money = { amount: string; currencyCode: string; minorUnits: string; formatted: string };
interface Line {
  id: string;
  variant: { id: string };
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
  discountAllocation: Money;
  tax: Money | null;
  priceChange: { previous: Money; current: Money } | null;
  isAvailable: boolean;
}
interface Cart {
  id: string;
  isGuest: boolean;
  currency: string;
  lines: Line[];
  itemCount: number;
  subtotal: Money;
  discount: { code: string; kind: string; percentage: string | null; fixedAmount: Money | null; rejection: string | null } | null;
  discountTotal: Money;
  shippingAddress: Record<string, unknown> | null;
  billingAddress: Record<string, unknown> | null;
  shippingMethod: { code: string; name: { value: string; locale: string }; price: Money } | null;
  availableShippingMethods: { code: string; price: Money }[];
  shippingTotal: Money;
  pricesIncludeTax: boolean;
  taxStatus: string;
  taxLines: { name: string; rate: string; amount: Money }[];
  taxTotal: Money;
  total: Money;
  hasPriceChanges: boolean;
  pricesChecked: boolean;
}
type Result = Record<string, unknown> & { __typename: string; cart?: Cart };
interface Key {
  cartId: string;
  cartToken?: string | null;
}

const berlin = { fullName: 'Erika Mustermann', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', countryCode: 'DE' };
const paris = { fullName: 'Marie Curie', line1: '1 Rue de Rivoli', city: 'Paris', postalCode: '75001', countryCode: 'FR' };
const newYork = { fullName: 'Ada Lovelace', line1: '1 Broadway', city: 'New York', region: 'NY', postalCode: '10004', countryCode: 'US' };
const tokyo = { fullName: 'Ada Lovelace', line1: '1-1 Marunouchi', city: 'Chiyoda-ku', region: 'Tokyo', postalCode: '100-0005', countryCode: 'JP' };

/** Runs a client operation (schema/operations) and answers its one root field; fails on GraphQL errors. */
async function send(name: string, variables: Record<string, unknown>, options: { token?: string; currency?: string } = {}): Promise<Result> {
  const response = await graph.request<Record<string, Result>>(op(name), variables, {
    ...(options.token ? { token: options.token } : {}),
    ...(options.currency ? { headers: { 'x-meridian-currency': options.currency } } : {}),
  });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return Object.values(response.body.data!)[0]!;
}

const amounts = (cart: Cart) => ({
  subtotal: cart.subtotal.amount,
  discount: cart.discountTotal.amount,
  shipping: cart.shippingTotal.amount,
  tax: cart.taxTotal.amount,
  total: cart.total.amount,
});

/** A product with one variant at these prices and this many units in stock (none: no stock level at all). */
async function variant(prices: Record<string, string>, stock = 50): Promise<string> {
  const tag = randomUUID().slice(0, 8);
  const product = await send('CreateProduct', { input: { translations: [{ locale: 'en', name: `Cart fixture ${tag}`, slug: `cart-fixture-${tag}` }] } }, { token: admin });
  expect(product.__typename).toBe('ProductSaved');
  const created = await send(
    'CreateVariant',
    { input: { productId: (product.product as { id: string }).id, sku: `CART-${tag}`, prices: Object.entries(prices).map(([currency, amount]) => ({ currency, amount })) } },
    { token: admin },
  );
  expect(created.__typename).toBe('VariantSaved');
  const id = (created.variant as { id: string }).id;
  if (stock > 0) await setStock(id, stock);
  return id;
}

/** Sets the units on hand at the central warehouse. */
async function setStock(variantId: string, units: number): Promise<void> {
  const levels = (await graph.request<{ stockLevels: { location: { id: string }; onHand: number }[] }>(op('StockLevels'), { variantIds: [variantId] }, { token: admin })).body.data!.stockLevels;
  const onHand = levels.find((level) => level.location.id === central)?.onHand ?? 0;
  if (onHand === 0 && units > 0) {
    expect(await send('ReceiveStock', { input: { variantId, locationId: central, quantity: units } }, { token: admin })).toMatchObject({ __typename: 'StockLevelChanged' });
  } else if (units !== onHand) {
    expect(await send('AdjustStock', { input: { variantId, locationId: central, change: units - onHand } }, { token: admin })).toMatchObject({ __typename: 'StockLevelChanged' });
  }
}

async function guestCart(currency = 'EUR'): Promise<Required<Key>> {
  const created = await send('CreateCart', {}, { currency });
  expect(created).toMatchObject({ __typename: 'CartCreated', cart: { isGuest: true, currency, lines: [] } });
  return { cartId: created.cart!.id, cartToken: created.cartToken as string };
}

async function add(key: Key | null, variantId: string, quantity = 1, options: { token?: string; currency?: string } = {}): Promise<Result> {
  return send('AddToCart', { ...key, variantId, quantity }, options);
}

async function read(key: Key, options: { token?: string; currency?: string } = {}): Promise<Cart | null> {
  const response = await graph.request<{ cart: Cart | null }>(op('Cart'), { ...key }, { ...(options.token ? { token: options.token } : {}), ...(options.currency ? { headers: { 'x-meridian-currency': options.currency } } : {}) });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data!.cart;
}

/** Every row of the cart schema's carts and lines, to show that a refused request changed nothing. */
async function snapshot() {
  return { carts: await graph.sql`select * from cart.carts order by id`, lines: await graph.sql`select * from cart.cart_lines order by id` };
}

beforeAll(async () => {
  graph = await startTestGraph({
    onStatement: (statement) => statements.push(statement),
    // The inventory's stock levels are admin-only today; the token the checkout role will get stands in here.
    cartServiceRoles: ['admin'],
    env: { CATALOG_AVAILABILITY_POLL_MS: '60000' },
  });
  await seedDemoShop(graph.databaseUrl);
  admin = await graph.mintAccessToken({ userId: randomUUID(), roles: ['customer', 'admin'] });
  [shopper, other] = await Promise.all([registerUser(graph), registerUser(graph)]);
  // The router reads the shop's currencies every 200 ms here.
  await eventually(async () => expect((await graph.request('{ shop { currencies } }', {}, { headers: { 'x-meridian-currency': 'USD' } })).context?.currency).toBe('USD'));
  const locations = (await graph.request<{ stockLocations: { id: string; code: string }[] }>(op('StockLocations'), {}, { token: admin })).body.data!.stockLocations;
  central = locations.find((location) => location.code === 'central')!.id;
});
afterAll(() => graph?.stop());

describe('a guest cart', () => {
  it('opens with a token shown once, takes lines at the current price, adds units to a line, changes and removes lines', async () => {
    const tent = await variant({ EUR: '59.50', GBP: '52.00', USD: '64.00' });
    const lamp = await variant({ EUR: '10.00', GBP: '9.00', USD: '11.00' });
    const key = await guestCart();
    expect(key.cartToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the token's SHA-256 is kept.
    const [row] = await graph.sql<{ token_hash: string }[]>`select token_hash from cart.carts where id = ${key.cartId}`;
    expect(row!.token_hash).not.toContain(key.cartToken);

    const added = await add(key, tent, 2);
    expect(added).toMatchObject({ __typename: 'CartLineAdded', cartToken: null, cart: { itemCount: 2, currency: 'EUR', lines: [{ variant: { id: tent }, quantity: 2, unitPrice: { amount: '59.50' } }] } });
    const lineId = (added.line as { id: string }).id;
    expect((await add(key, tent, 1)).cart!.lines).toMatchObject([{ id: lineId, quantity: 3, lineTotal: { amount: '178.50' } }]);
    expect((await add(key, lamp, 1)).cart).toMatchObject({ itemCount: 4, subtotal: { amount: '188.50' }, total: { amount: '188.50' } });

    expect(await send('UpdateCartLine', { ...key, lineId, quantity: 1 })).toMatchObject({ __typename: 'CartUpdated', cart: { itemCount: 2, subtotal: { amount: '69.50' } } });
    const removed = await send('RemoveCartLine', { ...key, lineId });
    expect(removed.cart!.lines.map((line) => line.variant.id)).toEqual([lamp]);
    expect(await read(key)).toMatchObject({ id: key.cartId, isGuest: true, itemCount: 1, subtotal: { amount: '10.00' }, pricesChecked: true, hasPriceChanges: false });
  });

  it('is opened by the first addToCart without a cart, in the request’s currency', async () => {
    const tent = await variant({ EUR: '59.50', GBP: '52.00', USD: '64.00' });
    const added = await add(null, tent, 1, { currency: 'GBP' });
    expect(added).toMatchObject({ __typename: 'CartLineAdded', cart: { isGuest: true, currency: 'GBP', subtotal: { amount: '52.00' }, total: { currencyCode: 'GBP' } } });
    expect(added.cartToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await read({ cartId: added.cart!.id, cartToken: added.cartToken as string })).toMatchObject({ currency: 'GBP', itemCount: 1 });
  });

  it('keeps its currency whatever currency a later request asks for', async () => {
    const tent = await variant({ EUR: '59.50', GBP: '52.00', USD: '64.00' });
    const key = await guestCart('EUR');
    await add(key, tent, 1, { currency: 'USD' });
    const response = await graph.request<{ cart: Cart }>(op('Cart'), key, { headers: { 'x-meridian-currency': 'GBP', 'x-meridian-locale': 'de' } });
    expect(response.context).toEqual({ locale: 'de', currency: 'GBP' });
    expect(response.body.data!.cart).toMatchObject({ currency: 'EUR', subtotal: { amount: '59.50', formatted: '59,50\u00a0€' }, total: { currencyCode: 'EUR' } });
  });
});

describe('who may use a cart', () => {
  it('needs the guest cart’s token; a wrong, missing or malformed token or id reads like an unknown cart and changes nothing', async () => {
    const tent = await variant({ EUR: '20.00' });
    const key = await guestCart();
    const { lines } = (await add(key, tent, 1)).cart!;
    expect(await read({ cartId: key.cartId })).toBeNull();
    expect(await read({ cartId: key.cartId, cartToken: 'x'.repeat(43) })).toBeNull();
    expect(await read({ cartId: newNodeId('User'), cartToken: key.cartToken })).toBeNull();
    expect(await read({ cartId: 'not-a-uuid', cartToken: key.cartToken })).toBeNull();
    // A signed-in user without the token is no better off.
    expect(await read({ cartId: key.cartId }, { token: other.accessToken })).toBeNull();

    const before = await snapshot();
    const notFound = { __typename: 'NotFound', code: 'NOT_FOUND', message: 'No cart with this id, or not with this token' };
    for (const attempt of [{ cartId: key.cartId }, { cartId: key.cartId, cartToken: 'wrong' }, { cartId: randomUUID(), cartToken: key.cartToken }]) {
      expect(await add(attempt, tent, 1)).toMatchObject(notFound);
      expect(await send('UpdateCartLine', { ...attempt, lineId: lines[0]!.id, quantity: 2 })).toMatchObject(notFound);
      expect(await send('RemoveCartLine', { ...attempt, lineId: lines[0]!.id })).toMatchObject(notFound);
      expect(await send('SetCartAddresses', { ...attempt, shipping: { address: berlin } })).toMatchObject(notFound);
      expect(await send('SetShippingMethod', { ...attempt, code: 'standard' })).toMatchObject(notFound);
      expect(await send('ApplyDiscountCode', { ...attempt, code: 'WELCOME10' })).toMatchObject(notFound);
      expect(await send('ApplyCartPriceChanges', attempt)).toMatchObject(notFound);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("opens a user's cart for that user alone, without a token; anyone else gets what an unknown cart gets", async () => {
    const tent = await variant({ EUR: '20.00' });
    const created = await send('CreateCart', {}, { token: shopper.accessToken });
    expect(created).toMatchObject({ __typename: 'CartCreated', cartToken: null, cart: { isGuest: false } });
    const key = { cartId: created.cart!.id };
    // Signed in, createCart answers the same open cart.
    expect((await send('CreateCart', {}, { token: shopper.accessToken })).cart!.id).toBe(key.cartId);
    expect(await add(key, tent, 2, { token: shopper.accessToken })).toMatchObject({ __typename: 'CartLineAdded' });
    expect(await read(key, { token: shopper.accessToken })).toMatchObject({ id: key.cartId, itemCount: 2 });

    const before = await snapshot();
    expect(await read(key, { token: other.accessToken })).toBeNull();
    expect(await read(key)).toBeNull();
    expect(await add(key, tent, 1, { token: other.accessToken })).toMatchObject({ __typename: 'NotFound', message: 'No cart with this id, or not with this token' });
    expect(await snapshot()).toEqual(before);

    const mine = await graph.request<{ me: { id: string; cart: Cart | null } }>(op('MyCart'), {}, { token: shopper.accessToken });
    expect(mine.body.data!.me).toMatchObject({ id: shopper.id, cart: { id: key.cartId, itemCount: 2 } });
    expect((await graph.request<{ me: { cart: Cart | null } }>(op('MyCart'), {}, { token: other.accessToken })).body.data!.me.cart).toBeNull();
  });

  it('resolves references (_entities) for the owner only, in one statement whatever their number', async () => {
    const own = (await send('CreateCart', {}, { token: other.accessToken })).cart!.id;
    const guest = (await guestCart()).cartId;
    const query = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Cart { id itemCount } } }';
    for (const count of [1, 20]) {
      const ids = [own, guest, ...Array.from({ length: count - 1 }, () => randomUUID())].slice(0, Math.max(count, 2));
      statements.length = 0;
      const response = await graph.requestSubgraph<{ _entities: ({ id: string } | null)[] }>('cart', query, { representations: ids.map((id) => ({ __typename: 'Cart', id })) }, { token: other.accessToken, routerToken: 'sign' });
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data!._entities).toEqual([{ id: own, itemCount: 0 }, ...ids.slice(1).map(() => null)]);
      expect(statements.filter((statement) => statement.includes('"cart".'))).toHaveLength(1);
    }
  });
});

describe('typed errors', () => {
  it('InvalidQuantity: fewer than 1 or more than 99 units on a line, added up included', async () => {
    const tent = await variant({ EUR: '5.00' }, 500);
    const key = await guestCart();
    for (const quantity of [0, -1, 100]) expect(await add(key, tent, quantity)).toMatchObject({ __typename: 'InvalidQuantity', code: 'INVALID_QUANTITY', requested: quantity, min: 1, max: 99 });
    const lineId = (await add(key, tent, 60)).cart!.lines[0]!.id;
    expect(await add(key, tent, 40)).toMatchObject({ __typename: 'InvalidQuantity', requested: 100 });
    expect(await send('UpdateCartLine', { ...key, lineId, quantity: 0 })).toMatchObject({ __typename: 'InvalidQuantity', requested: 0 });
    expect((await read(key))!.lines[0]!.quantity).toBe(60);
  });

  it('OutOfStock: a variant out of stock, or more units than the stock holds', async () => {
    const none = await variant({ EUR: '5.00' }, 0);
    const few = await variant({ EUR: '5.00' }, 3);
    const key = await guestCart();
    expect(await add(key, none, 1)).toMatchObject({ __typename: 'OutOfStock', code: 'OUT_OF_STOCK', message: 'The variant is not in stock', shortages: [{ variant: { id: none }, requested: 1, available: 0 }] });
    expect(await add(key, few, 4)).toMatchObject({ __typename: 'OutOfStock', shortages: [{ requested: 4, available: 3 }], message: 'Only 3 of the variant can be bought now' });
    const lineId = (await add(key, few, 3)).cart!.lines[0]!.id;
    expect(await add(key, few, 1)).toMatchObject({ __typename: 'OutOfStock', shortages: [{ requested: 4, available: 3 }] });
    expect(await send('UpdateCartLine', { ...key, lineId, quantity: 5 })).toMatchObject({ __typename: 'OutOfStock', shortages: [{ requested: 5, available: 3 }] });
    // Fewer units need no stock check.
    expect(await send('UpdateCartLine', { ...key, lineId, quantity: 2 })).toMatchObject({ __typename: 'CartUpdated' });
  });

  it('NotFound: an unknown or archived variant, one without a price in the cart’s currency, an unknown line', async () => {
    const euroOnly = await variant({ EUR: '5.00' });
    const archived = await variant({ EUR: '5.00', USD: '6.00' });
    expect(await send('ArchiveVariant', { id: archived }, { token: admin })).toMatchObject({ __typename: 'VariantSaved' });
    const key = await guestCart('USD');
    const notSold = { __typename: 'NotFound', code: 'NOT_FOUND', message: 'No product variant with this id is for sale in USD' };
    for (const variantId of [newNodeId('ProductVariant'), archived, 'not-an-id', newNodeId('Address')]) expect(await add(key, variantId, 1)).toEqual(notSold);
    // The shop sells in euros here: a dollar price would be converted from it, and the demo shop has that rate.
    expect(await add(key, euroOnly, 1)).toMatchObject({ __typename: 'CartLineAdded', cart: { currency: 'USD', lines: [{ variant: { id: euroOnly } }], total: { currencyCode: 'USD' } } });
    expect(await send('RemoveCartLine', { ...key, lineId: randomUUID() })).toEqual({ __typename: 'NotFound', code: 'NOT_FOUND', message: 'No line with this id in the cart' });
  });

  it('ValidationFailed: an address typed in is checked as the address book checks it, field by field', async () => {
    const key = await guestCart();
    const failed = await send('SetCartAddresses', { ...key, shipping: { address: { ...berlin, postalCode: '1234' } }, billing: { address: { ...sampleAddress, fullName: ' ' } } });
    expect(failed).toMatchObject({
      __typename: 'ValidationFailed',
      code: 'VALIDATION_FAILED',
      fields: [
        { field: 'shipping.postalCode', code: 'INVALID_POSTAL_CODE' },
        { field: 'billing.fullName', code: 'REQUIRED' },
      ],
    });
    expect(await send('SetCartAddresses', { ...key, shipping: {} })).toMatchObject({ __typename: 'ValidationFailed', fields: [{ field: 'shipping', code: 'REQUIRED' }] });
    expect(await send('SetCartAddresses', { ...key, shipping: { address: berlin, addressId: randomUUID() } })).toMatchObject({ __typename: 'ValidationFailed', fields: [{ field: 'shipping', code: 'INVALID_FORMAT' }] });
    expect((await read(key))!.shippingAddress).toBeNull();
  });
});

describe('addresses', () => {
  it('normalizes an address typed in, and copies one of the signed-in shopper’s address book entries (never another user’s)', async () => {
    const key = await guestCart();
    const typed = await send('SetCartAddresses', { ...key, shipping: { address: { ...sampleAddress, postalCode: 'sw1a2aa' } } });
    expect(typed.cart!.shippingAddress).toMatchObject({ postalCode: 'SW1A 2AA', countryCode: 'GB', addressId: null });
    expect(typed.cart!.billingAddress).toBeNull();

    const entry = await graph.request<{ addAddress: { address: { id: string } } }>(op('AddAddress'), { input: paris }, { token: shopper.accessToken });
    const addressId = entry.body.data!.addAddress.address.id;
    const foreign = (await graph.request<{ addAddress: { address: { id: string } } }>(op('AddAddress'), { input: berlin }, { token: other.accessToken })).body.data!.addAddress.address.id;
    const fromBook = await send('SetCartAddresses', { ...key, shipping: { addressId }, billing: { address: berlin } }, { token: shopper.accessToken });
    expect(fromBook.cart).toMatchObject({ shippingAddress: { ...paris, addressId }, billingAddress: { ...berlin, addressId: null } });

    const before = await snapshot();
    const unknown = { __typename: 'NotFound', code: 'NOT_FOUND', message: 'No address with this id in your address book' };
    expect(await send('SetCartAddresses', { ...key, shipping: { addressId: foreign } }, { token: shopper.accessToken })).toEqual(unknown);
    expect(await send('SetCartAddresses', { ...key, shipping: { addressId } })).toEqual(unknown);
    expect(await send('SetCartAddresses', { ...key, shipping: { addressId: 'nope' } }, { token: shopper.accessToken })).toEqual(unknown);
    expect(await snapshot()).toEqual(before);
  });
});

describe('taxes and totals', () => {
  let tent: string;
  let lamp: string;
  beforeAll(async () => {
    tent = await variant({ EUR: '59.50', GBP: '48.00', USD: '19.99' });
    lamp = await variant({ EUR: '10.00', GBP: '8.50', USD: '4.25' });
  });

  it('shows no tax before a shipping address, and says so', async () => {
    const key = await guestCart('USD');
    const cart = (await add(key, tent, 3)).cart!;
    expect(cart).toMatchObject({ pricesIncludeTax: false, taxStatus: 'ADDRESS_REQUIRED', taxLines: [], lines: [{ tax: null }] });
    expect(amounts(cart)).toEqual({ subtotal: '59.97', discount: '0.00', shipping: '0.00', tax: '0.00', total: '59.97' });
  });

  it('finds the VAT inside tax-inclusive euro prices, line by line, and keeps the total the shopper saw (Germany 19 %, France 20 %)', async () => {
    const key = await guestCart('EUR');
    await add(key, tent, 2);
    await add(key, lamp, 1);
    await send('SetCartAddresses', { ...key, shipping: { address: berlin } });
    const germany = (await send('SetShippingMethod', { ...key, code: 'standard' })).cart!;
    expect(germany).toMatchObject({ pricesIncludeTax: true, taxStatus: 'CALCULATED', shippingMethod: { code: 'standard', price: { amount: '4.95' } } });
    expect(germany.lines.map((line) => line.tax!.amount)).toEqual(['19.00', '1.60']);
    expect(germany.taxLines).toMatchObject([{ name: 'VAT', rate: '19', amount: { amount: '21.39' } }]);
    expect(amounts(germany)).toEqual({ subtotal: '129.00', discount: '0.00', shipping: '4.95', tax: '21.39', total: '133.95' });

    // 4.95 × 20 / 120 = 0.825 exactly: half-even rounds it to 0.82.
    const france = (await send('SetCartAddresses', { ...key, shipping: { address: paris } })).cart!;
    expect(france.lines.map((line) => line.tax!.amount)).toEqual(['19.83', '1.67']);
    expect(france.taxLines).toMatchObject([{ rate: '20', amount: { amount: '22.32' } }]);
    expect(amounts(france)).toEqual({ subtotal: '129.00', discount: '0.00', shipping: '4.95', tax: '22.32', total: '133.95' });
  });

  it('adds the tax to tax-exclusive dollar prices (Germany 19 %; the United States 0 %)', async () => {
    const key = await guestCart('USD');
    await add(key, tent, 3);
    await send('SetCartAddresses', { ...key, shipping: { address: berlin } });
    const germany = (await send('SetShippingMethod', { ...key, code: 'standard' })).cart!;
    // 59.97 × 0.19 = 11.3943 → 11.39; shipping 5.99 × 0.19 = 1.1381 → 1.14.
    expect(germany.lines[0]!.tax!.amount).toBe('11.39');
    expect(amounts(germany)).toEqual({ subtotal: '59.97', discount: '0.00', shipping: '5.99', tax: '12.53', total: '78.49' });
    const us = (await send('SetCartAddresses', { ...key, shipping: { address: newYork } })).cart!;
    expect(us.taxLines).toMatchObject([{ name: 'Sales tax', rate: '0', amount: { amount: '0.00' } }]);
    expect(amounts(us)).toEqual({ subtotal: '59.97', discount: '0.00', shipping: '5.99', tax: '0.00', total: '65.96' });
  });

  it('includes British VAT in pound prices, and computes none for a country without a rate', async () => {
    const key = await guestCart('GBP');
    await add(key, tent, 1);
    await send('SetCartAddresses', { ...key, shipping: { address: sampleAddress } });
    const britain = (await send('SetShippingMethod', { ...key, code: 'express' })).cart!;
    // 48.00 × 20 / 120 = 8.00; 9.95 × 20 / 120 = 1.6583… → 1.66.
    expect(amounts(britain)).toEqual({ subtotal: '48.00', discount: '0.00', shipping: '9.95', tax: '9.66', total: '57.95' });
    const japan = (await send('SetCartAddresses', { ...key, shipping: { address: tokyo } })).cart!;
    // No method delivers to Japan: the express choice is cleared with the new address.
    expect(japan).toMatchObject({ taxStatus: 'UNSUPPORTED_COUNTRY', taxLines: [], shippingMethod: null, availableShippingMethods: [] });
    expect(amounts(japan)).toEqual({ subtotal: '48.00', discount: '0.00', shipping: '0.00', tax: '0.00', total: '48.00' });
  });

  it('offers the shipping methods of the address’s country, named in the request’s language, and refuses others', async () => {
    const key = await guestCart('EUR');
    const noAddress = await send('SetShippingMethod', { ...key, code: 'standard' });
    expect(noAddress).toMatchObject({ __typename: 'ValidationFailed', fields: [{ field: 'code', code: 'UNAVAILABLE' }] });
    await send('SetCartAddresses', { ...key, shipping: { address: { ...paris, countryCode: 'ES', city: 'Madrid', postalCode: '28013', region: 'Madrid' } } });
    const spain = await graph.request<{ cart: Cart }>(op('Cart'), key, { headers: { 'x-meridian-locale': 'de' } });
    expect(spain.body.data!.cart.availableShippingMethods.map((method) => [method.code, method.price.amount])).toEqual([['standard', '4.95']]);
    expect(await send('SetShippingMethod', { ...key, code: 'express' })).toMatchObject({ __typename: 'ValidationFailed', fields: [{ field: 'code', code: 'UNAVAILABLE', message: 'The shipping method express does not deliver to ES.' }] });
    expect(await send('SetShippingMethod', { ...key, code: 'teleport' })).toEqual({ __typename: 'NotFound', code: 'NOT_FOUND', message: 'No shipping method with this code' });
    const chosen = await graph.request<{ setShippingMethod: Result }>(op('SetShippingMethod'), { ...key, code: 'STANDARD' }, { headers: { 'x-meridian-locale': 'de' } });
    expect(chosen.body.data!.setShippingMethod.cart!.shippingMethod).toMatchObject({ code: 'standard', name: { value: 'Standardversand (3–5 Werktage)', locale: 'de' } });
  });
});

describe('discount codes', () => {
  let tent: string;
  beforeAll(async () => {
    tent = await variant({ EUR: '59.50', GBP: '48.00', USD: '19.99' });
  });

  it('takes a percentage off (the demo shop’s WELCOME10), spread over the lines, before tax', async () => {
    const key = await guestCart('EUR');
    await add(key, tent, 2);
    await send('SetCartAddresses', { ...key, shipping: { address: berlin } });
    const cart = (await send('ApplyDiscountCode', { ...key, code: ' welcome10 ' })).cart!;
    expect(cart.discount).toEqual({ code: 'WELCOME10', kind: 'PERCENTAGE', percentage: '10', fixedAmount: null, rejection: null });
    expect(cart.lines[0]!.discountAllocation.amount).toBe('11.90');
    // (119.00 − 11.90) × 19 / 119 = 17.10.
    expect(amounts(cart)).toEqual({ subtotal: '119.00', discount: '11.90', shipping: '0.00', tax: '17.10', total: '107.10' });
  });

  it('takes a fixed amount off carts in its currency, and refuses others', async () => {
    const code = `FIVE${randomUUID().slice(0, 6)}`.toUpperCase();
    const created = await send('CreateDiscountCode', { input: { code, amount: '5.00', currency: 'EUR' } }, { token: admin });
    expect(created).toMatchObject({ __typename: 'DiscountCodeCreated', discountCode: { code, kind: 'FIXED_AMOUNT', fixedAmount: { amount: '5.00', currencyCode: 'EUR' }, usageLimit: null, timesUsed: 0 } });
    expect(await send('CreateDiscountCode', { input: { code, percentage: '5' } }, { token: admin })).toMatchObject({ __typename: 'ValidationFailed', fields: [{ field: 'code', code: 'ALREADY_TAKEN' }] });
    expect((await graph.request(op('CreateDiscountCode'), { input: { code: 'NOPE1', percentage: '5' } }, { token: shopper.accessToken })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const euros = await guestCart('EUR');
    await add(euros, tent, 1);
    const cart = (await send('ApplyDiscountCode', { ...euros, code })).cart!;
    expect(amounts(cart)).toEqual({ subtotal: '59.50', discount: '5.00', shipping: '0.00', tax: '0.00', total: '54.50' });
    const pounds = await guestCart('GBP');
    expect(await send('ApplyDiscountCode', { ...pounds, code })).toEqual({
      __typename: 'DiscountNotApplicable',
      code: 'DISCOUNT_NOT_APPLICABLE',
      message: "The discount code is for another currency than the cart's",
      rejection: 'CURRENCY_MISMATCH',
    });
    expect(await send('ApplyDiscountCode', { ...pounds, code: 'NO-SUCH-CODE' })).toEqual({ __typename: 'NotFound', code: 'NOT_FOUND', message: 'No discount code like this' });
  });

  it('stops taking anything off once the code expires or is used up, and says why', async () => {
    const code = `SOON${randomUUID().slice(0, 6)}`.toUpperCase();
    await send('CreateDiscountCode', { input: { code, percentage: '50', usageLimit: 1 } }, { token: admin });
    const key = await guestCart('EUR');
    await add(key, tent, 1);
    expect((await send('ApplyDiscountCode', { ...key, code })).cart!.discountTotal.amount).toBe('29.75');
    // The checkout counts a use when an order is placed.
    await graph.sql`update cart.discount_codes set times_used = 1 where code = ${code}`;
    expect(await read(key)).toMatchObject({ discount: { code, rejection: 'USAGE_LIMIT_REACHED' }, discountTotal: { amount: '0.00' }, total: { amount: '59.50' } });
    await graph.sql`update cart.discount_codes set times_used = 0, ends_at = now() where code = ${code}`;
    expect(await read(key)).toMatchObject({ discount: { rejection: 'EXPIRED' }, discountTotal: { amount: '0.00' } });
    expect(await send('ApplyDiscountCode', { ...key, code })).toMatchObject({ __typename: 'DiscountNotApplicable', rejection: 'EXPIRED' });
  });
});

describe('prices', () => {
  it('flags a price that changed since it was added, keeps the cart’s price until the shopper takes the new one', async () => {
    const tent = await variant({ EUR: '59.50' });
    const key = await guestCart('EUR');
    await add(key, tent, 2);
    await send('SetVariantPrice', { variantId: tent, price: { currency: 'EUR', amount: '64.90' } }, { token: admin });
    const flagged = (await read(key))!;
    expect(flagged).toMatchObject({ hasPriceChanges: true, subtotal: { amount: '119.00' } });
    expect(flagged.lines[0]).toMatchObject({ unitPrice: { amount: '59.50' }, priceChange: { previous: { amount: '59.50' }, current: { amount: '64.90' } } });
    // Adding units keeps the line's price too.
    expect((await add(key, tent, 1)).cart!.lines[0]).toMatchObject({ quantity: 3, unitPrice: { amount: '59.50' } });

    const applied = (await send('ApplyCartPriceChanges', key)).cart!;
    expect(applied).toMatchObject({ hasPriceChanges: false, subtotal: { amount: '194.70' }, lines: [{ unitPrice: { amount: '64.90' }, priceChange: null }] });
  });

  it('marks a line whose variant is no longer sold', async () => {
    const tent = await variant({ EUR: '59.50' });
    const key = await guestCart('EUR');
    await add(key, tent, 1);
    await send('ArchiveVariant', { id: tent }, { token: admin });
    expect(await read(key)).toMatchObject({ lines: [{ isAvailable: false, priceChange: null }], subtotal: { amount: '59.50' } });
  });

  it('costs the same SQL to read whatever the number of lines', async () => {
    const variants = await Promise.all(Array.from({ length: 10 }, () => variant({ EUR: '1.00' })));
    const counts: number[] = [];
    for (const size of [1, 10]) {
      const key = await guestCart('EUR');
      for (const variantId of variants.slice(0, size)) await add(key, variantId, 1);
      await send('SetCartAddresses', { ...key, shipping: { address: berlin } });
      await send('ApplyDiscountCode', { ...key, code: 'WELCOME10' });
      statements.length = 0;
      expect((await read(key))!.lines).toHaveLength(size);
      counts.push(statements.filter((statement) => statement.includes('"cart".')).length);
    }
    // The cart with its lines and pricing terms, and the shipping methods it may choose.
    expect(counts).toEqual([2, 2]);
  });
});

describe('merging a guest cart at sign-in', () => {
  /** A signed-in shopper known only by a token (the cart needs no account row). */
  const newShopper = () => graph.mintAccessToken({ userId: newNodeId('User') });
  const merge = (key: Required<Key>, token: string, currency?: string) => send('MergeGuestCart', key, { token, ...(currency ? { currency } : {}) });

  it('adds the quantities of the same variant, moves the others, and closes the guest cart for good', async () => {
    const [tent, lamp] = await Promise.all([variant({ EUR: '59.50' }), variant({ EUR: '10.00' })]);
    const token = await newShopper();
    await add(null, tent, 2, { token });
    const guest = await guestCart();
    await add(guest, tent, 3);
    await add(guest, lamp, 1);
    const merged = await merge(guest, token);
    expect(merged).toMatchObject({ __typename: 'GuestCartMerged', guestCartId: guest.cartId, adjustments: [], cart: { isGuest: false, itemCount: 6 } });
    expect(merged.cart!.lines.map((line) => [line.variant.id, line.quantity])).toEqual([
      [tent, 5],
      [lamp, 1],
    ]);
    // Closed: the token opens nothing any more, and merging again finds nothing.
    expect(await read(guest)).toBeNull();
    expect(await add(guest, lamp, 1)).toMatchObject({ __typename: 'NotFound' });
    expect(await merge(guest, token)).toMatchObject({ __typename: 'NotFound' });
    expect(await graph.sql`select count(*)::int as lines from cart.cart_lines where cart_id = ${guest.cartId}`).toEqual([{ lines: 0 }]);
  });

  it('caps the added quantities by the stock', async () => {
    const tent = await variant({ EUR: '59.50' }, 6);
    const token = await newShopper();
    await add(null, tent, 4, { token });
    const guest = await guestCart();
    await add(guest, tent, 5);
    const merged = await merge(guest, token);
    expect(merged).toMatchObject({ adjustments: [{ variant: { id: tent }, guestQuantity: 5, quantity: 6, outcome: 'CAPPED_BY_STOCK' }], cart: { lines: [{ quantity: 6 }] } });
  });

  it('caps a line at 99', async () => {
    const tent = await variant({ EUR: '1.00' }, 500);
    const token = await newShopper();
    await add(null, tent, 80, { token });
    const guest = await guestCart();
    await add(guest, tent, 30);
    expect(await merge(guest, token)).toMatchObject({ adjustments: [{ guestQuantity: 30, quantity: 99, outcome: 'CAPPED_AT_MAXIMUM' }], cart: { lines: [{ quantity: 99 }] } });
  });

  it('leaves out the guest’s units of a variant now out of stock', async () => {
    const tent = await variant({ EUR: '59.50' }, 5);
    const guest = await guestCart();
    await add(guest, tent, 2);
    await setStock(tent, 0);
    expect(await merge(guest, await newShopper())).toMatchObject({ adjustments: [{ variant: { id: tent }, guestQuantity: 2, quantity: 0, outcome: 'DROPPED_OUT_OF_STOCK' }], cart: { lines: [] } });
  });

  it('drops lines of variants no longer sold', async () => {
    const [kept, gone] = await Promise.all([variant({ EUR: '10.00' }), variant({ EUR: '20.00' })]);
    const guest = await guestCart();
    await add(guest, kept, 1);
    await add(guest, gone, 1);
    await send('ArchiveVariant', { id: gone }, { token: admin });
    const merged = await merge(guest, await newShopper());
    expect(merged).toMatchObject({ adjustments: [{ variant: { id: gone }, guestQuantity: 1, quantity: 0, outcome: 'DROPPED_NOT_SOLD' }] });
    expect(merged.cart!.lines.map((line) => line.variant.id)).toEqual([kept]);
  });

  it("keeps the user cart's currency and prices the guest's lines in it at today's price", async () => {
    const tent = await variant({ EUR: '59.50', GBP: '48.00' });
    const lamp = await variant({ EUR: '10.00', GBP: '8.50' });
    const token = await newShopper();
    await add(null, lamp, 1, { token, currency: 'EUR' });
    const guest = await guestCart('GBP');
    await add(guest, tent, 1);
    const merged = await merge(guest, token, 'GBP');
    expect(merged.cart).toMatchObject({ currency: 'EUR', subtotal: { amount: '69.50' }, total: { currencyCode: 'EUR' } });
    expect(merged.cart!.lines.map((line) => [line.variant.id, line.unitPrice.amount])).toEqual([
      [lamp, '10.00'],
      [tent, '59.50'],
    ]);
  });

  it("creates the user's cart when there is none, with the guest's addresses, shipping method and discount code", async () => {
    const tent = await variant({ EUR: '59.50', GBP: '48.00' });
    const guest = await guestCart('GBP');
    await add(guest, tent, 1);
    await send('SetCartAddresses', { ...guest, shipping: { address: sampleAddress } });
    await send('SetShippingMethod', { ...guest, code: 'express' });
    await send('ApplyDiscountCode', { ...guest, code: 'WELCOME10' });
    const token = await newShopper();
    const merged = await merge(guest, token, 'GBP');
    expect(merged.cart).toMatchObject({
      isGuest: false,
      currency: 'GBP',
      shippingAddress: { postalCode: 'SW1A 2AA' },
      shippingMethod: { code: 'express' },
      discount: { code: 'WELCOME10' },
      lines: [{ quantity: 1, unitPrice: { amount: '48.00' } }],
    });
    expect(await read({ cartId: merged.cart!.id }, { token })).toMatchObject({ id: merged.cart!.id });
  });

  it('needs a signed-in user and the guest cart’s token; a user’s own cart is no guest cart', async () => {
    const guest = await guestCart();
    const response = await graph.request(op('MergeGuestCart'), guest);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const token = await newShopper();
    expect(await merge({ ...guest, cartToken: 'wrong' }, token)).toMatchObject({ __typename: 'NotFound' });
    const own = (await send('CreateCart', {}, { token })).cart!.id;
    expect(await merge({ cartId: own, cartToken: guest.cartToken }, token)).toMatchObject({ __typename: 'NotFound' });
  });
});

describe('account deletion', () => {
  it("erases the account's carts through the erasure role only", async () => {
    const userId = newNodeId('User');
    const token = await graph.mintAccessToken({ userId });
    const tent = await variant({ EUR: '5.00' });
    await add(null, tent, 1, { token });
    const erase = 'mutation { eraseCartAccountData { __typename ... on AccountDataErased { userId } } }';
    expect((await graph.request(erase, {}, { token })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const eraser = await graph.mintAccessToken({ userId, roles: ['account_erasure'] });
    expect((await graph.request(erase, {}, { token: eraser })).body.data).toEqual({ eraseCartAccountData: { __typename: 'AccountDataErased', userId } });
    expect(await graph.sql`select id from cart.carts where user_id = ${userId}`).toEqual([]);
  });
});
