import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import { registerUser, type SignedInUser } from './support/seed.js';

const statements: string[] = [];
let graph: TestGraph;
let users: SignedInUser[];
let adminToken: string;

async function inBatches<T, R>(items: T[], size: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map((item, offset) => work(item, start + offset)))));
  }
  return results;
}

beforeAll(async () => {
  // Background work (outbox polling, the router's denylist and shop settings, the catalog's copy of availability, the notifications
  // worker, the orders' recovery job, the payments' order sync, the inventory's expiry sweep) would add statements to the count: it runs rarely here.
  graph = await startTestGraph({
    onStatement: (statement) => statements.push(statement),
    env: {
      OUTBOX_POLL_MS: '60000',
      SESSION_DENYLIST_REFRESH_MS: '60000',
      SHOP_SETTINGS_REFRESH_MS: '60000',
      CATALOG_AVAILABILITY_POLL_MS: '60000',
      NOTIFICATIONS_POLL_MS: '60000',
      ORDERS_RECOVERY_MS: '600000',
      PAYMENTS_ORDER_SYNC_MS: '600000',
      INVENTORY_EXPIRY_SWEEP_MS: '600000',
    },
  });
  users = await inBatches(Array.from({ length: 100 }), 10, () => registerUser(graph));
  await inBatches(users, 10, async (user, index) => {
    const token = user.accessToken;
    const home = await graph.request<{ addAddress: { address: { id: string } } }>(
      op('AddAddress'),
      { input: { fullName: `Customer ${index}`, line1: `${index} Rue de Rivoli`, city: 'Paris', postalCode: '75001', countryCode: 'FR' } },
      { token },
    );
    await graph.request(op('AddAddress'), { input: { fullName: `Customer ${index}`, line1: 'Hauptstraße 1', city: 'Berlin', postalCode: '10115', countryCode: 'DE' } }, { token });
    await graph.request(op('SetDefaultAddress'), { id: home.body.data!.addAddress.address.id, kind: 'SHIPPING' }, { token });
    await graph.request(op('UpdateProfile'), { input: { displayName: `Customer ${index}` } }, { token });
  });
  // Support staff see every user's data; there is no API to grant the role yet, so the fixture sets it.
  const [admin] = users;
  await graph.sql`update auth.users set roles = '{customer,admin}' where id = ${admin!.id}`;
  const login = await graph.request<{ login: { accessToken: string } }>(op('Login'), { input: { email: admin!.email, password: admin!.password } });
  adminToken = login.body.data!.login.accessToken;
});
afterAll(() => graph?.stop());

async function countStatements(subgraph: 'auth' | 'users', query: string, ids: string[]) {
  statements.length = 0;
  const response = await graph.requestSubgraph<{ _entities: Record<string, unknown>[] }>(
    subgraph,
    query,
    { representations: ids.map((id) => ({ __typename: 'User', id })) },
    { token: adminToken, routerToken: 'sign' },
  );
  expect(response.body.errors).toBeUndefined();
  return { entities: response.body.data!._entities, statements: [...statements] };
}

const usersQuery = `query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on User { id profile { displayName } addresses { id city } defaultShippingAddress { id city } defaultBillingAddress { id } }
  }
}`;
const authQuery = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id email roles } } }`;

describe('_entities issues one SQL statement per table, whatever the number of users', () => {
  it.each([1, 100])('users subgraph: profiles and addresses of %i user(s) in two statements', async (n) => {
    const ids = users.slice(0, n).map((user) => user.id);
    const { entities, statements: sent } = await countStatements('users', usersQuery, ids);
    expect(entities).toHaveLength(n);
    entities.forEach((entity, index) => {
      expect(entity).toMatchObject({
        id: ids[index],
        profile: { displayName: `Customer ${index}` },
        addresses: [{ city: 'Paris' }, { city: 'Berlin' }],
        defaultShippingAddress: { city: 'Paris' },
        defaultBillingAddress: null,
      });
    });
    expect(sent).toHaveLength(2);
    expect(sent.filter((statement) => statement.includes('"users"."profiles"'))).toHaveLength(1);
    expect(sent.filter((statement) => statement.includes('"users"."addresses"'))).toHaveLength(1);
  });

  it.each([1, 100])('auth subgraph: %i account(s) in one statement', async (n) => {
    const ids = users.slice(0, n).map((user) => user.id);
    const { entities, statements: sent } = await countStatements('auth', authQuery, ids);
    expect(entities.map((entity) => entity.id)).toEqual(ids);
    expect(entities.map((entity) => entity.email)).toEqual(users.slice(0, n).map((user) => user.email));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('"auth"."users"');
  });

  it.each([1, 100])('users subgraph: %i Address reference(s) in one statement', async (n) => {
    const ids = (await graph.sql<{ id: string }[]>`select id from users.addresses order by id limit ${n}`).map((row) => row.id);
    statements.length = 0;
    const response = await graph.requestSubgraph<{ _entities: { id: string; city: string }[] }>(
      'users',
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Address { id city } } }`,
      { representations: ids.map((id) => ({ __typename: 'Address', id })) },
      { token: adminToken, routerToken: 'sign' },
    );
    expect(response.body.data!._entities.map((address) => address.id)).toEqual(ids);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toContain('"users"."addresses"');
  });

  it('me with profile, addresses and defaults through the router costs one statement per table', async () => {
    // The router reads a user's locale and currency preferences once per PREFERENCES_TTL_MS, not per request.
    await graph.request(op('Me'), {}, { token: users[5]!.accessToken });
    statements.length = 0;
    const response = await graph.request<{ me: { addresses: unknown[] } }>(op('Me'), {}, { token: users[5]!.accessToken });
    expect(response.body.data!.me.addresses).toHaveLength(2);
    expect(statements.map((statement) => /from "(\w+)"\."(\w+)"/.exec(statement)?.slice(1).join('.')).sort()).toEqual([
      'auth.users',
      'users.addresses',
      'users.profiles',
    ]);
  });
});

describe('NotificationRecipient references (the `notifications` role) cost one statement, whatever their number', () => {
  let notifications: string;
  beforeAll(async () => {
    // A service identity's token with the `notifications` role, as the notifications service's.
    notifications = await graph.mintAccessToken({ userId: randomUUID(), roles: ['notifications'] });
    await graph.request(op('UpdateProfile'), { input: { preferredLocale: 'fr' } }, { token: users[1]!.accessToken });
  });

  async function resolveRecipients(subgraph: 'auth' | 'users', fields: string, ids: string[]) {
    statements.length = 0;
    const response = await graph.requestSubgraph<{ _entities: (Record<string, unknown> | null)[] }>(
      subgraph,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on NotificationRecipient { ${fields} } } }`,
      { representations: ids.map((userId) => ({ __typename: 'NotificationRecipient', userId })) },
      { token: notifications, routerToken: 'sign' },
    );
    expect(response.body.errors).toBeUndefined();
    return { entities: response.body.data!._entities, statements: [...statements] };
  }

  it.each([1, 100])('users subgraph: the profile languages of %i recipient(s) in one statement', async (n) => {
    const ids = users.slice(0, n).map((user) => user.id);
    const { entities, statements: sent } = await resolveRecipients('users', 'userId preferredLocale', ids);
    expect(entities).toEqual(ids.map((userId, index) => ({ userId, preferredLocale: index === 1 ? 'fr' : null })));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('"users"."profiles"');
  });

  it.each([1, 100])('auth subgraph: the addresses of %i recipient(s) in one statement; an unknown (deleted) account is null', async (n) => {
    const ids = [...users.slice(0, n).map((user) => user.id), randomUUID()];
    const { entities, statements: sent } = await resolveRecipients('auth', 'userId email', ids);
    expect(entities).toEqual([...users.slice(0, n).map((user) => ({ userId: user.id, email: user.email })), null]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('"auth"."users"');
  });

  it('refuses a token without the `notifications` role', async () => {
    const response = await graph.requestSubgraph<{ _entities: unknown[] }>(
      'auth',
      'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on NotificationRecipient { email } } }',
      { representations: [{ __typename: 'NotificationRecipient', userId: users[0]!.id }] },
      { token: users[0]!.accessToken, routerToken: 'sign' },
    );
    expect(response.body.data?._entities ?? null).not.toEqual([{ email: users[0]!.email }]);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
