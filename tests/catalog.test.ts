import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCatalog } from '@meridian/catalog/demo';
import { seedDemoShop } from '../scripts/demo-shop.js';
import { eventually } from './support/eventually.js';
import { op, startTestGraph, type TestGraph } from './support/graph.js';

const statements: string[] = [];
let graph: TestGraph;
let adminToken: string;
const demo = demoCatalog(200);
const category = (key: string) => demo.categories.find((row) => row.slugs.en === key)!.id;

interface ProductNode {
  id: string;
  name: { value: string; locale: string; isFallback: boolean };
  fromPrice: { money: { amount: string; currencyCode: string; formatted: string }; isConverted: boolean; rateId: string | null; asOf: string | null } | null;
}
interface Page {
  products: { totalCount: number; edges: { cursor: string; node: ProductNode }[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null; startCursor: string | null } };
}

const PAGE = `query Page($filter: ProductFilter, $sort: ProductSort, $first: Int, $after: String, $last: Int, $before: String) {
  products(filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name { value locale isFallback } fromPrice { money { amount currencyCode formatted } isConverted rateId asOf } } }
  }
}`;

const inContext = (locale: string, currency: string) => ({ headers: { 'x-meridian-locale': locale, 'x-meridian-currency': currency } });

async function page(variables: Record<string, unknown>, locale = 'en', currency = 'EUR'): Promise<Page['products']> {
  const response = await graph.request<Page>(PAGE, variables, inContext(locale, currency));
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.products;
}

async function admin<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await graph.request<Record<string, T>>(query, variables, { token: adminToken });
  expect(response.body.errors).toBeUndefined();
  return Object.values(response.body.data!)[0]!;
}

beforeAll(async () => {
  // The catalog's copy of availability would add its statements to the counts: it is read rarely here (tests/catalog-listing.test.ts covers it).
  graph = await startTestGraph({ onStatement: (statement) => statements.push(statement), env: { SHOP_SETTINGS_REFRESH_MS: '200', CATALOG_AVAILABILITY_POLL_MS: '60000' } });
  // The demo shop is the fixture: the catalog part of what `pnpm start` seeds.
  await seedDemoShop(graph.databaseUrl);
  adminToken = await graph.mintAccessToken({ userId: randomUUID(), roles: ['customer', 'admin'] });
  // The router reads the shop's languages and currencies every 200 ms here.
  await eventually(async () => expect((await graph.request(PAGE, { first: 1 }, inContext('de', 'GBP'))).context).toEqual({ locale: 'de', currency: 'GBP' }));
});
afterAll(() => graph?.stop());

describe('category pages', () => {
  it('lists a category and its sub-categories in German with prices in euros', async () => {
    const bikes = await page({ filter: { categoryId: category('bikes') }, sort: 'NAME', first: 50 }, 'de', 'EUR');
    // 4 of the 10 demo categories are bikes, 20 products each.
    expect(bikes.totalCount).toBe(80);
    expect(bikes.edges).toHaveLength(50);
    const [first] = bikes.edges;
    expect(first!.node.name).toMatchObject({ locale: 'de', isFallback: false });
    expect(first!.node.fromPrice).toMatchObject({ isConverted: false, money: { currencyCode: 'EUR' } });
    expect(first!.node.fromPrice!.money.formatted).toMatch(/^\d{1,3}(\.\d{3})*,\d{2}\s€$/);
    const names = bikes.edges.map((edge) => edge.node.name.value);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('converts prices that are not set in the currency, naming the rate and its day', async () => {
    // Every seventh demo product has no GBP price.
    const withoutPound = demo.products[6]!;
    const response = await graph.request<{ product: ProductNode }>(
      `query($id: ID) { product(id: $id) { id name { value locale isFallback } fromPrice { money { amount currencyCode formatted } isConverted rateId asOf } } }`,
      { id: withoutPound.id },
      inContext('en', 'GBP'),
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.product.fromPrice).toMatchObject({ isConverted: true, asOf: '2022-07-08', money: { currencyCode: 'GBP' } });
    expect(response.body.data!.product.fromPrice!.rateId).toMatch(/^[0-9a-f-]{36}$/);
    const priced = await graph.request<{ product: ProductNode }>(`query($id: ID) { product(id: $id) { fromPrice { isConverted rateId } } }`, { id: demo.products[0]!.id }, inContext('en', 'GBP'));
    expect(priced.body.data!.product.fromPrice).toEqual({ isConverted: false, rateId: null });
  });

  it('pages with stable cursors forwards and backwards', async () => {
    const filter = { categoryId: category('clothing') };
    const all = await page({ filter, sort: 'PRICE_ASC', first: 100 });
    expect(all.totalCount).toBe(60);
    const amounts = all.edges.map((edge) => Number(edge.node.fromPrice!.money.amount));
    expect(amounts).toEqual([...amounts].sort((a, b) => a - b));

    const one = await page({ filter, sort: 'PRICE_ASC', first: 25 });
    const two = await page({ filter, sort: 'PRICE_ASC', first: 25, after: one.pageInfo.endCursor });
    const three = await page({ filter, sort: 'PRICE_ASC', first: 25, after: two.pageInfo.endCursor });
    expect([...one.edges, ...two.edges, ...three.edges].map((edge) => edge.node.id)).toEqual(all.edges.map((edge) => edge.node.id));
    expect(one.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(three.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(three.edges).toHaveLength(10);

    const back = await page({ filter, sort: 'PRICE_ASC', last: 25, before: three.edges[0]!.cursor });
    expect(back.edges.map((edge) => edge.node.id)).toEqual(all.edges.slice(25, 50).map((edge) => edge.node.id));
    expect(back.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it('uses at most three catalog statements for a page, whatever its size', async () => {
    const catalogStatements = async (first: number) => {
      await page({ filter: { categoryId: category('bikes') }, sort: 'NEWEST', first: 2 });
      statements.length = 0;
      const response = await graph.request(
        `query($filter: ProductFilter, $first: Int) { products(filter: $filter, sort: NEWEST, first: $first) { totalCount pageInfo { hasNextPage endCursor }
          edges { cursor node { id name { value } slug { value } images { url width height } fromPrice { money { formatted } isConverted }
          variants { id sku price { money { amount } } } } } } }`,
        { filter: { categoryId: category('bikes') }, first },
        inContext('de', 'EUR'),
      );
      expect(response.body.errors).toBeUndefined();
      return statements.filter((statement) => /\bcatalog\.|"catalog"\./.test(statement)).length;
    };
    const small = await catalogStatements(5);
    const large = await catalogStatements(50);
    expect(small).toBeLessThanOrEqual(3);
    expect(large).toBe(small);
  });

  it('counts facets for the current filter', async () => {
    const response = await graph.request<{ products: { facets: { categories: { category: { id: string }; count: number }[]; options: { value: { code: string; groupCode: string }; count: number }[]; priceBands: { min: { amount: string }; count: number }[] } } }>(
      `query($filter: ProductFilter) { products(filter: $filter, first: 1) { facets {
        categories { category { id } count } options { value { code groupCode } count } priceBands { min { amount } max { amount } count } } } }`,
      { filter: { categoryId: category('clothing') } },
    );
    expect(response.body.errors).toBeUndefined();
    const { facets } = response.body.data!.products;
    expect(facets.categories.reduce((sum, facet) => sum + facet.count, 0)).toBe(60);
    expect(facets.categories.find((facet) => facet.category.id === category('jackets'))!.count).toBe(20);
    expect(facets.options.find((facet) => facet.value.groupCode === 'size' && facet.value.code === 'm')!.count).toBe(60);
    expect(facets.priceBands.reduce((sum, facet) => sum + facet.count, 0)).toBe(60);

    const blue = await page({ filter: { categoryId: category('clothing'), options: [{ group: 'colour', values: ['blue'] }], priceRange: { min: '50', max: '150' } }, first: 100 });
    expect(blue.totalCount).toBeGreaterThan(0);
    expect(blue.totalCount).toBeLessThan(60);
    for (const edge of blue.edges) expect(Number(edge.node.fromPrice!.money.amount)).toBeLessThanOrEqual(150);
  });

  it('returns the category tree', async () => {
    const response = await graph.request<{ categories: { slug: { value: string }; children: { name: { value: string } }[] }[] }>(
      `{ categories { slug { value } children { name { value } } } }`,
      {},
      inContext('fr', 'EUR'),
    );
    expect(response.body.data!.categories.map((root) => root.slug.value)).toEqual(['velos', 'plein-air', 'vetements']);
    expect(response.body.data!.categories[0]!.children.map((child) => child.name.value)).toEqual(['VTT', 'Vélos de route', 'Vélos de ville']);
  });
});

describe('search', () => {
  it('forgives typos', async () => {
    const found = await page({ filter: { search: 'moutain bike' }, first: 10 });
    expect(found.totalCount).toBeGreaterThan(0);
    expect(found.edges[0]!.node.name.value).toMatch(/Mountain Bike/);
  });

  it('stems in the request language and ranks names first', async () => {
    const found = await page({ filter: { search: 'Zelte' }, first: 5 }, 'de');
    expect(found.edges.length).toBeGreaterThan(0);
    for (const edge of found.edges) expect(edge.node.name.value).toMatch(/zelt/i);
  });

  it('falls back to the default language where the catalog has no translation (Japanese)', async () => {
    await admin(`mutation { enableLocale(code: "ja") { __typename } }`, {});
    await eventually(async () => expect((await graph.request(PAGE, { first: 1 }, inContext('ja', 'EUR'))).context?.locale).toBe('ja'));
    const found = await page({ filter: { search: 'backpack' }, first: 3 }, 'ja');
    expect(found.edges[0]!.node.name).toMatchObject({ locale: 'en', isFallback: true });
  });
});

describe('entities', () => {
  const products = demo.products.slice(0, 40).map((product) => ({ __typename: 'Product', id: product.id }));
  const variants = demo.variants.slice(0, 40).map((variant) => ({ __typename: 'ProductVariant', id: variant.id }));

  it('resolves any number of Product and ProductVariant references in one statement each', async () => {
    for (const representations of [products, variants]) {
      const counts: number[] = [];
      for (const size of [1, 40]) {
        statements.length = 0;
        const response = await graph.requestSubgraph<{ _entities: { id: string; sku?: string }[] }>(
          'catalog',
          `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { id name { value } } ... on ProductVariant { id sku prices { amount } } } }`,
          { representations: representations.slice(0, size) },
          { routerToken: 'sign' },
        );
        expect(response.body.errors).toBeUndefined();
        expect(response.body.data!._entities.map((entity) => entity.id)).toEqual(representations.slice(0, size).map((reference) => reference.id));
        counts.push(statements.filter((statement) => /\bcatalog\.|"catalog"\./.test(statement)).length);
      }
      expect(counts).toEqual([1, 1]);
    }
  });

  it('refetches products and variants with node(id:)', async () => {
    const response = await graph.request<{ nodes: { __typename: string; id: string }[] }>(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, {
      ids: [demo.products[0]!.id, demo.variants[0]!.id],
    });
    expect(response.body.data!.nodes.map((node) => node.__typename)).toEqual(['Product', 'ProductVariant']);
  });
});

describe('admin mutations', () => {
  const CREATE_PRODUCT = `mutation($input: CreateProductInput!) { createProduct(input: $input) { __typename
    ... on ProductSaved { product { id slug { value } } } ... on DuplicateSlug { code locale slug } ... on ValidationFailed { fields { field code } } } }`;
  const UPDATE_PRODUCT = `mutation($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { __typename ... on ProductSaved { product { id slug { value } } } } }`;
  const CREATE_VARIANT = `mutation($input: CreateVariantInput!) { createVariant(input: $input) { __typename
    ... on VariantSaved { variant { id sku options { code groupCode } prices { amount currencyCode } } } ... on DuplicateSku { code sku } ... on NegativePrice { code currency } } }`;

  it('creates a product and a variant, and keeps a former slug resolving', async () => {
    const created = await admin<{ __typename: string; product: { id: string } }>(CREATE_PRODUCT, {
      input: { categoryId: category('tents'), translations: [{ locale: 'en', name: 'Storm Shelter 2', slug: 'storm-shelter-2', description: 'A two-person tent.' }] },
    });
    expect(created.__typename).toBe('ProductSaved');
    const variant = await admin<{ __typename: string; variant: { sku: string; options: unknown[]; prices: unknown[] } }>(CREATE_VARIANT, {
      input: { productId: created.product.id, sku: 'TEN-STORM-2', options: [{ group: 'colour', value: 'blue' }], prices: [{ currency: 'EUR', amount: '149.00' }] },
    });
    expect(variant).toMatchObject({ __typename: 'VariantSaved', variant: { sku: 'TEN-STORM-2', options: [{ code: 'blue', groupCode: 'colour' }], prices: [{ amount: '149.00', currencyCode: 'EUR' }] } });

    const renamed = await admin(UPDATE_PRODUCT, { id: created.product.id, input: { translations: [{ locale: 'en', name: 'Storm Shelter II', slug: 'storm-shelter-ii' }] } });
    expect(renamed).toMatchObject({ __typename: 'ProductSaved', product: { slug: { value: 'storm-shelter-ii' } } });
    for (const slug of ['storm-shelter-2', 'storm-shelter-ii']) {
      const response = await graph.request<{ product: { id: string } | null }>(`query($slug: String) { product(slug: $slug) { id } }`, { slug });
      expect(response.body.data!.product?.id).toBe(created.product.id);
    }
    const found = await page({ filter: { search: 'storm shelter' }, first: 5 });
    expect(found.edges.map((edge) => edge.node.id)).toContain(created.product.id);
  });

  it('answers duplicate slugs and SKUs and negative prices as typed errors, writing nothing', async () => {
    const taken = demo.products[0]!.translations[0]!;
    expect(await admin(CREATE_PRODUCT, { input: { translations: [{ locale: 'en', name: 'Copy', slug: taken.slug }] } })).toEqual({
      __typename: 'DuplicateSlug',
      code: 'DUPLICATE_SLUG',
      locale: 'en',
      slug: taken.slug,
    });
    expect(await admin(CREATE_VARIANT, { input: { productId: demo.products[1]!.id, sku: demo.variants[0]!.sku } })).toEqual({ __typename: 'DuplicateSku', code: 'DUPLICATE_SKU', sku: demo.variants[0]!.sku });
    expect(await admin(CREATE_VARIANT, { input: { productId: demo.products[1]!.id, sku: 'NEW-SKU-1', prices: [{ currency: 'USD', amount: '-1.00' }] } })).toEqual({
      __typename: 'NegativePrice',
      code: 'NEGATIVE_PRICE',
      currency: 'USD',
    });
    const [row] = await graph.sql<{ count: number }[]>`select count(*)::int as count from catalog.variants where sku = 'NEW-SKU-1'`;
    expect(row!.count).toBe(0);
  });

  it('archives a product: it leaves listings but still resolves by id', async () => {
    const target = demo.products[9]!;
    expect(await admin(`mutation($id: ID!) { archiveProduct(id: $id) { __typename } }`, { id: target.id })).toEqual({ __typename: 'ProductSaved' });
    const listing = await page({ filter: { categoryId: demo.products[9]!.categoryId }, first: 100 });
    expect(listing.edges.map((edge) => edge.node.id)).not.toContain(target.id);
    const response = await graph.request<{ product: { status: string } }>(`query($id: ID) { product(id: $id) { status } }`, { id: target.id });
    expect(response.body.data!.product.status).toBe('ARCHIVED');
  });

  it('refuses shoppers', async () => {
    const shopper = await graph.mintAccessToken({ userId: randomUUID(), roles: ['customer'] });
    const response = await graph.request(CREATE_PRODUCT, { input: { translations: [{ locale: 'en', name: 'X', slug: 'x' }] } }, { token: shopper });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('client operations', () => {
  it('runs the shipped operations within the router limits', async () => {
    const product = await graph.request<{ product: { id: string } }>(op('Product'), { slug: demo.products[1]!.translations[1]!.slug }, inContext('de', 'EUR'));
    expect(product.body.errors).toBeUndefined();
    expect(product.body.data!.product.id).toBe(demo.products[1]!.id);
    for (const name of ['Categories', 'Collections', 'ProductFacets']) {
      const response = await graph.request(op(name), {});
      expect(response.body.errors).toBeUndefined();
    }
  });
});
