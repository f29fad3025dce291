import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '@meridian/db';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { op } from './support/graph.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';
import { createServiceRoles, postGraphQL, startServices, type RunningServices, type ServiceRoles } from './support/service-processes.js';

let database: TestDatabase;
let mailbox: Mailbox;
let roles: ServiceRoles;
let services: RunningServices;

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = await startMailbox();
  await migrateDatabase(database.url);
  roles = await createServiceRoles(database);
  services = await startServices({ databaseUrls: { auth: roles.urlFor('auth'), users: roles.urlFor('users'), localization: roles.urlFor('localization'), catalog: roles.urlFor('catalog'), inventory: roles.urlFor('inventory'), cart: roles.urlFor('cart'), orders: roles.urlFor('orders'), notifications: roles.urlFor('notifications'), payments: roles.urlFor('payments') }, smtpUrl: mailbox.url });
});

afterAll(async () => {
  await services?.stopAll();
  await database?.drop();
  await mailbox?.close();
  await roles?.drop();
});

const graphql = (query: string, variables: Record<string, unknown> = {}, token?: string) => postGraphQL(services.routerUrl, query, variables, token);

describe('each service as its own process, with its own database role, in production mode', () => {
  it('serves the graph through the router', async () => {
    const registered = await graphql(op('Register'), { input: { email: 'process@example.com', password: 'three little servers', displayName: 'Proc' } });
    expect(registered.data?.register?.__typename).toBe('VerificationEmailSent');
    const mail = await mailbox.waitFor((received) => received.to === 'process@example.com');
    const verified = await graphql(op('VerifyEmail'), { token: mail.token });
    expect(verified.data?.verifyEmail?.__typename).toBe('AuthSession');
    const me = await eventually(async () => {
      const result = await graphql(op('Me'), {}, verified.data?.verifyEmail?.accessToken as string);
      expect(result.data?.me).toMatchObject({ email: 'process@example.com', profile: { displayName: 'Proc' }, addresses: [] });
      return result;
    });
    expect(me.errors).toBeUndefined();
  });

  it('serves the inventory service with its own role', async () => {
    const result = await graphql('query InStock($ids: [ID!]!) { inStockVariants(ids: $ids) }', { ids: ['01900000-0000-7000-8000-000000000004'] });
    expect(result).toMatchObject({ status: 200, data: { inStockVariants: [] } });
  });

  it('serves the cart service with its own role: a guest cart opens and reads back with its token', async () => {
    const created = await graphql('mutation { createCart { ... on CartCreated { cart { id currency lines { id } } cartToken } } }');
    const { cart, cartToken } = (created.data?.createCart ?? {}) as { cart?: { id: string }; cartToken?: string };
    expect(created).toMatchObject({ status: 200, data: { createCart: { cart: { currency: 'EUR', lines: [] } } } });
    const read = await graphql('query Cart($cartId: ID!, $cartToken: String) { cart(cartId: $cartId, cartToken: $cartToken) { id total { amount } } }', { cartId: cart!.id, cartToken: cartToken! });
    expect(read).toMatchObject({ status: 200, data: { cart: { id: cart!.id, total: { amount: '0.00' } } } });
  });

  it('serves the catalog service with its own role, full-text and trigram search included', async () => {
    const result = await graphql('query Search($filter: ProductFilter) { products(filter: $filter, first: 5) { totalCount edges { node { id } } } }', {
      filter: { search: 'moutain bike' },
    });
    expect(result).toMatchObject({ status: 200, data: { products: { totalCount: 0, edges: [] } } });
  });

  it('keeps introspection and every schema suggestion off in production', async () => {
    const result = await graphql('{ __schema { types { name } } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const misspelled = await graphql('{ mee { id } }');
    expect(misspelled.errors?.[0]?.message).toBe('Cannot query field "mee" on type "Query".');
    const wrongEnum = await graphql(op('SetDefaultAddress'), { id: '01900000-0000-7000-8000-000000000000', kind: 'SHIPPNG' });
    expect(wrongEnum.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(wrongEnum.errors?.[0]?.message).not.toMatch(/Did you mean|Suggestion|SHIPPING/);
  });

  it("confines each service's role to its own schema", async () => {
    const asUsers = postgres(roles.urlFor('users'), { max: 1, onnotice: () => {} });
    try {
      await expect(asUsers`select count(*) from users.addresses`).resolves.toHaveLength(1);
      await expect(asUsers`select email from auth.users`).rejects.toThrow(/permission denied/);
    } finally {
      await asUsers.end();
    }
  });

  it('reports the router unready when a subgraph is down, and shuts down cleanly on SIGTERM', async () => {
    expect(await services.stop('users'), services.logs()).toBe(0);
    const ready = await fetch(`http://127.0.0.1:${services.ports.router}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', subgraphs: { auth: true, users: false, localization: true, catalog: true, inventory: true, cart: true, orders: true, notifications: true, payments: true } });
    expect(await services.stop('router'), services.logs()).toBe(0);
    expect(await services.stop('auth'), services.logs()).toBe(0);
    expect(await services.stop('localization'), services.logs()).toBe(0);
    expect(await services.stop('catalog'), services.logs()).toBe(0);
    expect(await services.stop('inventory'), services.logs()).toBe(0);
    expect(await services.stop('cart'), services.logs()).toBe(0);
    expect(await services.stop('orders'), services.logs()).toBe(0);
    expect(await services.stop('payments'), services.logs()).toBe(0);
    const logs = services.logs();
    expect(logs).toContain('"msg":"stopped"');
    expect(logs).not.toContain('three little servers');
  });
});
