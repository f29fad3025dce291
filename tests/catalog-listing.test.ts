import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CURRENCIES, DEMO_LOCALES, demoCatalog } from '@meridian/catalog/demo';
import { seedDemoShop } from '../scripts/demo-shop.js';
import { eventually } from './support/eventually.js';
import { op, startTestGraph, type TestGraph } from './support/graph.js';

// What the catalog keeps beside its own data for listing: the copy of which variants are in stock
// (from the inventory's availability feed), the lowest price per product and currency (kept by
// triggers), and the words of every name (to correct a search's spelling).

let graph: TestGraph;
let adminToken: string;
const demo = demoCatalog(200);

interface Listing {
  totalCount: number;
  edges: { node: { id: string; name: { value: string }; fromPrice: { money: { amount: string } } | null } }[];
}

const LIST = `query($filter: ProductFilter, $sort: ProductSort, $first: Int) {
  products(filter: $filter, sort: $sort, first: $first) { totalCount edges { node { id name { value } fromPrice { money { amount } } } } }
}`;

async function list(variables: Record<string, unknown>, locale = 'en'): Promise<Listing> {
  const response = await graph.request<{ products: Listing }>(LIST, variables, { headers: { 'x-meridian-locale': locale, 'x-meridian-currency': 'EUR' } });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.products;
}

async function admin<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await graph.request<Record<string, T>>(query, variables, { token: adminToken });
  expect(response.body.errors).toBeUndefined();
  return Object.values(response.body.data!)[0]!;
}

const ids = (listing: Listing) => listing.edges.map((edge) => edge.node.id);

beforeAll(async () => {
  // The catalog reads the availability feed every 200 ms here (CATALOG_AVAILABILITY_POLL_MS).
  graph = await startTestGraph({ env: { CATALOG_AVAILABILITY_POLL_MS: '200' } });
  await seedDemoShop(graph.databaseUrl);
  adminToken = await graph.mintAccessToken({ userId: randomUUID(), roles: ['customer', 'admin'] });
  // The seed enables the demo languages and currencies behind the services' backs: the localization
  // service keeps its settings for a second and the router re-reads them every 200 ms here.
  await eventually(async () => {
    const shop = await graph.request<{ shop: { locales: string[]; currencies: string[] } }>('{ shop { locales currencies } }', {}, { headers: { 'x-meridian-locale': 'de' } });
    expect(shop.body.data!.shop).toEqual({ locales: expect.arrayContaining([...DEMO_LOCALES]), currencies: expect.arrayContaining([...DEMO_CURRENCIES]) });
    expect(shop.context?.locale).toBe('de');
  });
});
afterAll(() => graph?.stop());

describe('the inStock filter', () => {
  it('follows the inventory: a product whose stock runs out leaves the in-stock list and comes back with a delivery', async () => {
    const product = demo.products[3]!;
    const name = product.translations.find((translation) => translation.locale === 'en')!.name;
    const variantIds = demo.variants.filter((variant) => variant.productId === product.id).map((variant) => variant.id);
    const inStock = async (value: boolean) => ids(await list({ filter: { search: name, inStock: value }, first: 50 }));

    // The demo shop has every variant in stock; the copy catches up with the seed.
    await eventually(async () => expect(await inStock(true)).toContain(product.id));
    expect(await inStock(false)).not.toContain(product.id);
    const everything = (await list({ first: 1 })).totalCount;
    await eventually(async () => expect((await list({ filter: { inStock: true }, first: 1 })).totalCount + (await list({ filter: { inStock: false }, first: 1 })).totalCount).toBe(everything));

    const levels = await admin<{ location: { id: string }; available: number; variant: { id: string } }[]>(op('StockLevels'), { variantIds });
    for (const level of levels.filter((candidate) => candidate.available > 0)) {
      const changed = await admin<{ __typename: string }>(op('AdjustStock'), { input: { variantId: level.variant.id, locationId: level.location.id, change: -level.available, note: 'sold out' } });
      expect(changed.__typename).toBe('StockLevelChanged');
    }
    await eventually(async () => {
      expect(await inStock(true)).not.toContain(product.id);
      expect(await inStock(false)).toContain(product.id);
    });

    const delivered = await admin<{ __typename: string }>(op('ReceiveStock'), { input: { variantId: variantIds[0]!, locationId: levels[0]!.location.id, quantity: 3, note: 'delivery' } });
    expect(delivered.__typename).toBe('StockLevelChanged');
    await eventually(async () => expect(await inStock(true)).toContain(product.id));
  });

  it('stores its place in the feed, and marks in stock exactly the variants the inventory holds units of', async () => {
    await eventually(async () => {
      const [row] = await graph.sql<{ position: string }[]>`select position from catalog.feed_positions where feed = 'inventory.availability'`;
      expect(row?.position).toBeDefined();
    });
    // A level created empty (no movement) may be missing from the copy: missing reads as not in stock, as it is.
    await eventually(async () => {
      const copy = await graph.sql<{ id: string }[]>`select variant_id as id from catalog.variant_stock where in_stock order by 1`;
      const inventory = await graph.sql<{ id: string }[]>`
        select variant_id as id from inventory.stock_levels group by variant_id having sum(on_hand - reserved) > 0 order by 1`;
      expect(copy.map((row) => row.id)).toEqual(inventory.map((row) => row.id));
    });
  });
});

describe('the lowest price', () => {
  const SET_PRICE = `mutation($variantId: ID!, $price: PriceInput!) { setVariantPrice(variantId: $variantId, price: $price) { __typename } }`;

  it('follows price changes and archived variants, for sorting and for fromPrice', async () => {
    const product = demo.products[12]!;
    const variants = demo.variants.filter((variant) => variant.productId === product.id);
    expect(variants.length).toBeGreaterThan(1);
    const [cheap, other] = variants;
    const lowest = async () => {
      const [row] = await graph.sql<{ lowest: string }[]>`select lowest_minor::text as lowest from catalog.product_prices where product_id = ${product.id} and currency = 'EUR'`;
      return row?.lowest;
    };

    expect(await admin<{ __typename: string }>(SET_PRICE, { variantId: cheap!.id, price: { currency: 'EUR', amount: '0.50' } })).toEqual({ __typename: 'VariantSaved' });
    expect(await lowest()).toBe('50');
    const cheapest = await list({ sort: 'PRICE_ASC', first: 1 });
    expect(cheapest.edges[0]!.node).toMatchObject({ id: product.id, fromPrice: { money: { amount: '0.50' } } });

    await admin(`mutation($id: ID!) { archiveVariant(id: $id) { __typename } }`, { id: cheap!.id });
    const others = variants.filter((variant) => variant.id !== cheap!.id).map((variant) => variant.prices.find((price) => price.currency === 'EUR')!.amountMinor);
    expect(await lowest()).toBe(String(others.reduce((a, b) => (a < b ? a : b))));
    expect(ids(await list({ sort: 'PRICE_ASC', first: 1 }))).not.toContain(product.id);

    // Every product's stored lowest price is what its active variants' prices give.
    const [differences] = await graph.sql<{ count: number }[]>`
      select count(*)::int as count from (
        select v.product_id, vp.currency, min(vp.amount_minor) as lowest from catalog.variants v join catalog.variant_prices vp on vp.variant_id = v.id
        where v.status = 'active' group by v.product_id, vp.currency) computed
      full join catalog.product_prices stored using (product_id, currency)
      where computed.lowest is distinct from stored.lowest_minor`;
    expect(differences!.count).toBe(0);
    expect(other).toBeDefined();
  });

  it('compares a converted price with the set ones where the currency does not price every variant, on a page and by id', async () => {
    const product = demo.products[20]!;
    const name = product.translations.find((translation) => translation.locale === 'en')!.name;
    const FROM_PRICE = `fromPrice { money { amount currencyCode } isConverted }`;
    const fromPrices = async () => {
      const page = await graph.request<{ products: { edges: { node: { id: string; fromPrice: unknown } }[] } }>(
        `query($filter: ProductFilter) { products(filter: $filter, first: 20) { edges { node { id ${FROM_PRICE} } } } }`,
        { filter: { search: name } },
        { headers: { 'x-meridian-locale': 'en', 'x-meridian-currency': 'EUR' } },
      );
      const byId = await graph.request<{ product: { fromPrice: unknown } }>(`query($id: ID) { product(id: $id) { ${FROM_PRICE} } }`, { id: product.id }, { headers: { 'x-meridian-currency': 'EUR' } });
      return [page.body.data!.products.edges.find((edge) => edge.node.id === product.id)!.node.fromPrice, byId.body.data!.product.fromPrice];
    };

    // A variant priced only in US dollars, far below the product's euro prices: its converted price is the lowest.
    const created = await admin<{ __typename: string; variant?: { id: string } }>(
      `mutation($input: CreateVariantInput!) { createVariant(input: $input) { __typename ... on VariantSaved { variant { id } } } }`,
      { input: { productId: product.id, sku: 'LISTING-USD-ONLY-1', prices: [{ currency: 'USD', amount: '0.02' }] } },
    );
    expect(created.__typename).toBe('VariantSaved');
    for (const fromPrice of await fromPrices()) expect(fromPrice).toEqual({ money: { amount: '0.02', currencyCode: 'EUR' }, isConverted: true });

    // Once euros price every variant, the kept lowest price answers, as set.
    await admin(SET_PRICE, { variantId: created.variant!.id, price: { currency: 'EUR', amount: '0.03' } });
    for (const fromPrice of await fromPrices()) expect(fromPrice).toEqual({ money: { amount: '0.03', currencyCode: 'EUR' }, isConverted: false });
  });
});

describe('search', () => {
  it('corrects the spelling of each word from the words of the names, in every language', async () => {
    for (const [text, locale, expected] of [
      ['moutain bike', 'en', /mountain bike/i],
      ['rain jaket', 'en', /jacket/i],
      ['Zellt', 'de', /zelt/i],
      ['chaussures randonée', 'fr', /randonnée/i],
    ] as const) {
      const found = await list({ filter: { search: text }, first: 5 }, locale);
      expect(found.totalCount, text).toBeGreaterThan(0);
      for (const edge of found.edges) expect(edge.node.name.value, text).toMatch(expected);
    }
    expect((await list({ filter: { search: 'qqxxzz' }, first: 5 })).totalCount).toBe(0);
  });

  it('leaves archived products out of search results and their count', async () => {
    const product = demo.products[21]!;
    const name = product.translations.find((translation) => translation.locale === 'en')!.name;
    const before = await list({ filter: { search: name }, first: 50 });
    expect(ids(before)).toContain(product.id);
    await admin(`mutation($id: ID!) { archiveProduct(id: $id) { __typename } }`, { id: product.id });
    const after = await list({ filter: { search: name }, first: 50 });
    expect(ids(after)).not.toContain(product.id);
    expect(after.totalCount).toBe(before.totalCount - 1);
  });
});
