// The catalog's admin mutations beyond products and variants (issue 11): archiving categories and
// collections, removing images, naming option groups and values, prices only in currencies the shop
// sells in, and the shop's default locale at the end of every fallback chain. A fresh shop (English,
// euros), every fixture made through the API.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { op, startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;
let adminToken: string;

type Result = Record<string, unknown> & { __typename: string };
const text = (locale: string, value: string) => ({ locale, value });
const inLocale = (locale: string) => ({ headers: { 'x-meridian-locale': locale } });

/** Runs a shipped client operation (schema/operations) as an admin and returns its only root field. */
async function admin<T = Result>(name: string, variables: Record<string, unknown>): Promise<T> {
  const response = await graph.request<Record<string, T>>(op(name), variables, { token: adminToken });
  expect(response.body.errors).toBeUndefined();
  return Object.values(response.body.data!)[0]!;
}

async function shopper<T>(query: string, variables: Record<string, unknown> = {}, options: { headers?: Record<string, string> } = {}): Promise<T> {
  const response = await graph.request<T>(query, variables, options);
  expect(response.body.errors).toBeUndefined();
  return response.body.data!;
}

async function createProduct(name: string, categoryId: string | null, translations: { locale: string; name: string; slug: string }[] = []): Promise<string> {
  const slug = `${name.toLowerCase().replaceAll(' ', '-')}-${randomUUID().slice(0, 8)}`;
  const created = await admin<{ product: { id: string } }>('CreateProduct', { input: { categoryId, translations: [{ locale: 'en', name, slug }, ...translations] } });
  return created.product.id;
}

async function createCategory(name: string, parentId: string | null): Promise<string> {
  const slug = name.toLowerCase().replaceAll(' ', '-');
  const created = await admin<{ category: { id: string } }>('CreateCategory', { input: { parentId, names: [text('en', name)], slugs: [text('en', slug)] } });
  return created.category.id;
}

const listed = async (filter: Record<string, unknown>) =>
  (await shopper<{ products: { totalCount: number; edges: { node: { id: string } }[] } }>(`query($filter: ProductFilter) { products(filter: $filter, first: 50) { totalCount edges { node { id } } } }`, { filter })).products;

beforeAll(async () => {
  graph = await startTestGraph();
  adminToken = await graph.mintAccessToken({ userId: randomUUID(), roles: ['customer', 'admin'] });
});
afterAll(() => graph?.stop());

describe('archiving a category', () => {
  let outdoor: string;
  let tents: string;
  let tunnelTents: string;
  let inTunnelTents: string;
  let inOutdoor: string;
  const TREE = `{ categories { id children { id children { id } } } }`;
  const CATEGORY_OF = `query($id: ID) { product(id: $id) { category { id } } }`;

  beforeAll(async () => {
    outdoor = await createCategory('Outdoor', null);
    tents = await createCategory('Tents', outdoor);
    tunnelTents = await createCategory('Tunnel tents', tents);
    inTunnelTents = await createProduct('Tunnel Two', tunnelTents);
    inOutdoor = await createProduct('Camp Chair', outdoor);
  });

  it('hides it and everything below it from the tree, the category filter, Product.category and the facets at once', async () => {
    // Read through the category tree cache first: archiving must reach it, not wait for its ttl.
    expect((await listed({ categoryId: outdoor })).totalCount).toBe(2);
    expect((await listed({ categoryId: tents })).totalCount).toBe(1);

    const archived = await admin('ArchiveCategory', { id: tents.toUpperCase() });
    expect(archived).toMatchObject({ __typename: 'CategorySaved', category: { id: tents, status: 'ARCHIVED', parentId: outdoor } });

    const tree = await shopper<{ categories: { id: string; children: { id: string }[] }[] }>(TREE);
    expect(tree.categories.find((root) => root.id === outdoor)).toEqual({ id: outdoor, children: [] });
    expect((await listed({ categoryId: tents })).totalCount).toBe(0);
    expect((await listed({ categoryId: tunnelTents })).totalCount).toBe(0);
    expect((await listed({ categoryId: outdoor })).edges.map((edge) => edge.node.id)).toEqual([inOutdoor]);
    // The product itself stays listed, without its hidden category.
    expect((await listed({})).edges.map((edge) => edge.node.id)).toContain(inTunnelTents);
    expect(await shopper(CATEGORY_OF, { id: inTunnelTents })).toEqual({ product: { category: null } });
    expect(await shopper(CATEGORY_OF, { id: inOutdoor })).toEqual({ product: { category: { id: outdoor } } });
    const facets = await shopper<{ products: { facets: { categories: { category: { id: string }; count: number }[] } } }>(`{ products(first: 0) { facets { categories { category { id } count } } } }`);
    expect(facets.products.facets.categories).toEqual([{ category: { id: outdoor }, count: 1 }]);
  });

  it('answers the archived category again when archived twice, and keeps it archived through updateCategory', async () => {
    expect(await admin('ArchiveCategory', { id: tents })).toMatchObject({ __typename: 'CategorySaved', category: { id: tents, status: 'ARCHIVED' } });
    const renamed = await admin('UpdateCategory', { id: tents, input: { parentId: outdoor, names: [text('en', 'Tents & shelters')], slugs: [text('en', 'tents')] } });
    expect(renamed).toMatchObject({ __typename: 'CategorySaved', category: { name: { value: 'Tents & shelters' } } });
    const [row] = await graph.sql<{ status: string }[]>`select status from catalog.categories where id = ${tents}`;
    expect(row!.status).toBe('archived');
    expect((await listed({ categoryId: tents })).totalCount).toBe(0);
  });

  it('answers NotFound for an unknown or malformed id, and refuses shoppers', async () => {
    for (const id of [randomUUID(), 'not-an-id']) {
      expect(await admin('ArchiveCategory', { id })).toEqual({ __typename: 'NotFound', code: 'NOT_FOUND', message: 'No such category' });
    }
    const customer = await graph.mintAccessToken({ userId: randomUUID(), roles: ['customer'] });
    const refused = await graph.request(op('ArchiveCategory'), { id: outdoor }, { token: customer });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await shopper<{ categories: { id: string }[] }>(TREE)).toMatchObject({ categories: expect.arrayContaining([expect.objectContaining({ id: outdoor })]) });
  });

  it('refuses blank category names', async () => {
    const refused = await admin('CreateCategory', { input: { names: [text('en', '  ')], slugs: [text('en', 'blank')] } });
    expect(refused).toMatchObject({ __typename: 'ValidationFailed', fields: [{ field: 'names.0.value', code: 'REQUIRED' }] });
  });
});

describe('archiving a collection', () => {
  it('hides it from collections and makes its filter match nothing; twice is no error; an unknown id is NotFound', async () => {
    const products = [await createProduct('Summer Hat', null), await createProduct('Summer Shirt', null)];
    const created = await admin<{ collection: { id: string } }>('CreateCollection', { input: { names: [text('en', 'Summer')], slugs: [text('en', 'summer')], productIds: products } });
    const id = created.collection.id;
    const COLLECTIONS = `{ collections { id } }`;
    expect((await shopper<{ collections: { id: string }[] }>(COLLECTIONS)).collections.map((collection) => collection.id)).toContain(id);
    expect((await listed({ collectionId: id })).totalCount).toBe(2);

    expect(await admin('ArchiveCollection', { id })).toMatchObject({ __typename: 'CollectionSaved', collection: { id, status: 'ARCHIVED', name: { value: 'Summer' } } });
    expect((await shopper<{ collections: { id: string }[] }>(COLLECTIONS)).collections.map((collection) => collection.id)).not.toContain(id);
    expect(await listed({ collectionId: id })).toEqual({ totalCount: 0, edges: [] });
    expect((await listed({ collectionId: id.toUpperCase() })).totalCount).toBe(0);
    // Its products stay listed.
    expect((await listed({})).edges.map((edge) => edge.node.id)).toEqual(expect.arrayContaining(products));

    expect(await admin('ArchiveCollection', { id })).toMatchObject({ __typename: 'CollectionSaved', collection: { id, status: 'ARCHIVED' } });
    expect(await admin('ArchiveCollection', { id: randomUUID() })).toEqual({ __typename: 'NotFound', code: 'NOT_FOUND', message: 'No such collection' });
  });
});

describe('removing a product image', () => {
  it('removes one image and answers the product; an unknown image is NotFound and changes nothing', async () => {
    const productId = await createProduct('Trail Lamp', null);
    const image = (n: number) => ({ url: `https://images.example/lamp-${n}.jpg`, width: 800, height: 600, alt: [text('en', `Lamp ${n}`)] });
    await admin('AddProductImage', { productId, input: image(1) });
    const added = await admin<{ product: { images: { id: string; url: string }[] } }>('AddProductImage', { productId, input: image(2) });
    const [first, second] = added.product.images;

    const removed = await admin('RemoveProductImage', { imageId: first!.id });
    expect(removed).toMatchObject({ __typename: 'ProductSaved', product: { id: productId, images: [{ id: second!.id, url: 'https://images.example/lamp-2.jpg' }] } });

    for (const imageId of [first!.id, randomUUID(), 'not-an-id']) {
      expect(await admin('RemoveProductImage', { imageId })).toEqual({ __typename: 'NotFound', code: 'NOT_FOUND', message: 'No such image' });
    }
    const [row] = await graph.sql<{ count: number }[]>`select count(*)::int as count from catalog.product_images where product_id = ${productId}`;
    expect(row!.count).toBe(1);
  });
});

describe('naming option groups and values', () => {
  let productId: string;
  let size: { id: string; values: { id: string; code: string }[] };
  const OPTION_NAMES = `query($id: ID) { product(id: $id) { optionGroups { id name { value locale isFallback } values { id name { value locale isFallback } } } } }`;
  type OptionNames = { product: { optionGroups: { id: string; name: { value: string; locale: string; isFallback: boolean }; values: { id: string; name: { value: string; locale: string; isFallback: boolean } }[] }[] } };

  beforeAll(async () => {
    await admin('EnableLocale', { code: 'de' });
    productId = await createProduct('Rain Jacket', null);
    const code = `size-${randomUUID().slice(0, 8)}`;
    await admin('CreateVariant', { input: { productId, sku: `RJ-${randomUUID().slice(0, 8)}`, options: [{ group: code, value: 'm' }] } });
    const read = await shopper<{ product: { optionGroups: { id: string; values: { id: string; code: string }[] }[] } }>(`query($id: ID) { product(id: $id) { optionGroups { id values { id code } } } }`, { id: productId });
    size = read.product.optionGroups[0]!;
    // The router reads the shop's languages every 200 ms here.
    await eventually(async () => expect((await graph.request('{ shop { locales } }', {}, inLocale('de'))).context?.locale).toBe('de'));
  });

  it('replaces the names of a group and of a value, shown in the request language', async () => {
    const group = await admin('UpdateOptionGroup', { id: size.id, input: { names: [text('en', 'Size'), text('de', 'Größe')] } });
    expect(group).toMatchObject({ __typename: 'OptionGroupSaved', optionGroup: { id: size.id, name: { value: 'Size', locale: 'en' }, values: [{ id: size.values[0]!.id, code: 'm' }] } });
    const value = await admin('UpdateOptionValue', { id: size.values[0]!.id, input: { names: [text('en', 'Medium'), text('de', 'Mittel')] } });
    expect(value).toMatchObject({ __typename: 'OptionValueSaved', optionValue: { id: size.values[0]!.id, code: 'm', name: { value: 'Medium' } } });

    const german = await shopper<OptionNames>(OPTION_NAMES, { id: productId }, inLocale('de'));
    expect(german.product.optionGroups).toEqual([
      { id: size.id, name: { value: 'Größe', locale: 'de', isFallback: false }, values: [{ id: size.values[0]!.id, name: { value: 'Mittel', locale: 'de', isFallback: false } }] },
    ]);

    // The names given replace all former ones: German now falls back to English.
    await admin('UpdateOptionGroup', { id: size.id, input: { names: [text('en', 'Fit')] } });
    const replaced = await shopper<OptionNames>(OPTION_NAMES, { id: productId }, inLocale('de'));
    expect(replaced.product.optionGroups[0]!.name).toEqual({ value: 'Fit', locale: 'en', isFallback: true });
  });

  it('refuses no names, blank names and invalid language tags, changing nothing', async () => {
    expect(await admin('UpdateOptionGroup', { id: size.id, input: { names: [] } })).toMatchObject({ __typename: 'ValidationFailed', fields: [{ field: 'names', code: 'REQUIRED' }] });
    const refused = await admin('UpdateOptionValue', { id: size.values[0]!.id, input: { names: [text('not a tag', 'Mittel'), text('en', '   ')] } });
    expect(refused).toMatchObject({
      __typename: 'ValidationFailed',
      code: 'VALIDATION_FAILED',
      fields: [
        { field: 'names.0.locale', code: 'INVALID_LOCALE' },
        { field: 'names.1.value', code: 'REQUIRED' },
      ],
    });
    const [row] = await graph.sql<{ names: Record<string, string> }[]>`select names from catalog.option_values where id = ${size.values[0]!.id}`;
    expect(row!.names).toEqual({ en: 'Medium', de: 'Mittel' });
  });

  it('answers NotFound for an unknown group or value', async () => {
    expect(await admin('UpdateOptionGroup', { id: randomUUID(), input: { names: [text('en', 'Size')] } })).toEqual({ __typename: 'NotFound', code: 'NOT_FOUND', message: 'No such option group' });
    expect(await admin('UpdateOptionValue', { id: 'not-an-id', input: { names: [text('en', 'M')] } })).toEqual({ __typename: 'NotFound', code: 'NOT_FOUND', message: 'No such option value' });
  });
});

describe('prices only in currencies the shop sells in', () => {
  it('answers CurrencyNotEnabled naming the currencies it sells in, writing nothing; a currency enabled a moment ago counts', async () => {
    const productId = await createProduct('Stove', null);
    const sku = `STOVE-${randomUUID().slice(0, 8)}`;
    // A fresh shop sells in euros only.
    const refusedVariant = await admin('CreateVariant', { input: { productId, sku, prices: [{ currency: 'EUR', amount: '49.00' }, { currency: 'USD', amount: '55.00' }] } });
    expect(refusedVariant).toEqual({ __typename: 'CurrencyNotEnabled', code: 'CURRENCY_NOT_ENABLED', message: 'The shop does not sell in USD; it sells in EUR', currencyCode: 'USD' });
    const [variants] = await graph.sql<{ count: number }[]>`select count(*)::int as count from catalog.variants where sku = ${sku}`;
    expect(variants!.count).toBe(0);

    const created = await admin<{ variant: { id: string } }>('CreateVariant', { input: { productId, sku, prices: [{ currency: 'EUR', amount: '49.00' }] } });
    const variantId = created.variant.id;
    expect(await admin('SetVariantPrice', { variantId, price: { currency: 'USD', amount: '55.00' } })).toMatchObject({ __typename: 'CurrencyNotEnabled', currencyCode: 'USD' });
    const [prices] = await graph.sql<{ count: number }[]>`select count(*)::int as count from catalog.variant_prices where variant_id = ${variantId}`;
    expect(prices!.count).toBe(1);

    // An update that changes nothing answers the variant (it used to fail: an UPDATE without columns).
    expect(await admin('UpdateVariant', { id: variantId, input: {} })).toMatchObject({ __typename: 'VariantSaved', variant: { id: variantId, sku } });

    await admin('EnableCurrency', { code: 'USD' });
    const priced = await admin('SetVariantPrice', { variantId, price: { currency: 'USD', amount: '55.00' } });
    expect(priced).toMatchObject({
      __typename: 'VariantSaved',
      variant: {
        prices: [
          { amount: '49.00', currencyCode: 'EUR' },
          { amount: '55.00', currencyCode: 'USD' },
        ],
      },
    });
  });
});

// Last: it changes the shop's default locale, which every request without a language of its own then gets.
describe("the shop's default locale", () => {
  it('ends every fallback chain of the catalog, and follows the shop when an admin changes it', async () => {
    await admin('EnableLocale', { code: 'fr' });
    await admin('EnableLocale', { code: 'de' });
    const productId = await createProduct('Lantern', null, [{ locale: 'de', name: 'Laterne', slug: `laterne-${randomUUID().slice(0, 8)}` }]);
    const NAME = `query($id: ID) { product(id: $id) { name { value locale isFallback } } }`;
    const french = async () => (await graph.request<{ product: { name: unknown } }>(NAME, { id: productId }, inLocale('fr'))).body.data?.product.name;

    await eventually(async () => expect(await french()).toEqual({ value: 'Lantern', locale: 'en', isFallback: true }));
    expect(await admin('SetDefaultLocale', { code: 'de' })).toMatchObject({ __typename: 'ShopUpdated' });
    await eventually(async () => expect(await french()).toEqual({ value: 'Laterne', locale: 'de', isFallback: true }));
  });
});
