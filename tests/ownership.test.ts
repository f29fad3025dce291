import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import { registerUser, sampleAddress, type SignedInUser } from './support/seed.js';

let graph: TestGraph;
let owner: SignedInUser;
let intruder: SignedInUser;
let ownerAddress: string;

async function snapshot() {
  const addresses = await graph.sql`select * from users.addresses order by id`;
  const profiles = await graph.sql`select * from users.profiles order by user_id`;
  return { addresses, profiles };
}

beforeAll(async () => {
  graph = await startTestGraph();
  [owner, intruder] = await Promise.all([registerUser(graph), registerUser(graph)]);
  const added = await graph.request<{ addAddress: { address: { id: string } } }>(op('AddAddress'), { input: sampleAddress }, { token: owner.accessToken });
  ownerAddress = added.body.data!.addAddress.address.id;
  await graph.request(op('SetDefaultAddress'), { id: ownerAddress, kind: 'SHIPPING' }, { token: owner.accessToken });
});
afterAll(() => graph?.stop());

describe("another user's address behaves exactly like an unknown id", () => {
  const unknownId = '01900000-0000-7000-8000-000000000000';

  it.each([
    ['updateAddress', 'UpdateAddress', (id: string) => ({ id, input: { city: 'Paris', countryCode: 'FR', postalCode: '75001' } })],
    ['deleteAddress', 'DeleteAddress', (id: string) => ({ id })],
    ['setDefaultAddress', 'SetDefaultAddress', (id: string) => ({ id, kind: 'BILLING' })],
  ] as const)('%s answers NOT_FOUND and changes nothing', async (field, operation, variables) => {
    const before = await snapshot();
    const foreign = await graph.request<Record<string, unknown>>(op(operation), variables(ownerAddress), { token: intruder.accessToken });
    const unknown = await graph.request<Record<string, unknown>>(op(operation), variables(unknownId), { token: intruder.accessToken });
    const malformed = await graph.request<Record<string, unknown>>(op(operation), variables('not-a-uuid'), { token: intruder.accessToken });
    const notFound = { __typename: 'NotFound', code: 'NOT_FOUND', message: 'No such address in your address book' };
    expect(foreign.body).toEqual({ data: { [field]: notFound } });
    expect(unknown.body).toEqual(foreign.body);
    expect(malformed.body).toEqual(foreign.body);
    expect(await snapshot()).toEqual(before);
  });

  it("never lists another user's addresses or defaults", async () => {
    const me = await graph.request<{ me: { addresses: unknown[]; defaultShippingAddress: unknown } }>(op('Me'), {}, { token: intruder.accessToken });
    expect(me.body.data!.me.addresses).toEqual([]);
    expect(me.body.data!.me.defaultShippingAddress).toBeNull();
  });

  it('keeps the owner in full control', async () => {
    const me = await graph.request<{ me: { addresses: { id: string }[]; defaultShippingAddress: { id: string } } }>(op('Me'), {}, { token: owner.accessToken });
    expect(me.body.data!.me.addresses.map((address) => address.id)).toEqual([ownerAddress]);
    expect(me.body.data!.me.defaultShippingAddress).toEqual({ id: ownerAddress });
  });

  it('does not expose _entities through the router', async () => {
    const response = await graph.request(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Address { id line1 } } }`,
      { r: [{ __typename: 'Address', id: ownerAddress }] },
      { token: intruder.accessToken },
    );
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.text).not.toContain('10 Downing Street');
  });

  it("resolves another user's Address and User references to nothing, even with a valid router token", async () => {
    const response = await graph.requestSubgraph<{ _entities: unknown[] }>(
      'users',
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Address { id line1 } ... on User { id profile { displayName } addresses { id } } } }`,
      { r: [{ __typename: 'Address', id: ownerAddress }, { __typename: 'User', id: owner.id }] },
      { token: intruder.accessToken, routerToken: 'sign' },
    );
    expect(response.body).toEqual({ data: { _entities: [null, null] } });
  });
});
