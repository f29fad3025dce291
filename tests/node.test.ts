import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newNodeId, nodeTypeOf, readSubgraphSdl, undeclaredFields } from '@meridian/platform';
import { SUBGRAPHS } from '@meridian/schema';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import { registerUser, sampleAddress, type SignedInUser } from './support/seed.js';

let graph: TestGraph;
let owner: SignedInUser;
let intruder: SignedInUser;
let adminToken: string;
let ownerAddress: string;
let intruderAddress: string;

async function addAddress(user: SignedInUser): Promise<string> {
  const added = await graph.request<{ addAddress: { address: { id: string } } }>(op('AddAddress'), { input: sampleAddress }, { token: user.accessToken });
  return added.body.data!.addAddress.address.id;
}

beforeAll(async () => {
  graph = await startTestGraph();
  [owner, intruder] = await Promise.all([registerUser(graph), registerUser(graph)]);
  [ownerAddress, intruderAddress] = await Promise.all([addAddress(owner), addAddress(intruder)]);
  const staff = await registerUser(graph);
  await graph.sql`update auth.users set roles = '{customer,admin}' where id = ${staff.id}`;
  const login = await graph.request<{ login: { accessToken: string } }>(op('Login'), { input: { email: staff.email, password: staff.password } });
  adminToken = login.body.data!.login.accessToken;
});
afterAll(() => graph?.stop());

const node = (id: string, token?: string) => graph.request<{ node: Record<string, unknown> | null }>(op('Node'), { id }, token ? { token } : {});

// @apollo/subgraph as the router builds the node subgraph with it (a dependency of the router, not of the tests).
const routerRequire = createRequire(createRequire(import.meta.url).resolve('@meridian/router'));
const { buildSubgraphSchema } = routerRequire('@apollo/subgraph') as { buildSubgraphSchema: (module: { typeDefs: DocumentNode }) => GraphQLSchema };

describe('the node subgraph', () => {
  it('is composed with the others and declares who may read each of its fields', async () => {
    const node = SUBGRAPHS.find((subgraph) => subgraph.name === 'node');
    expect(node).toBeDefined();
    const schema = buildSubgraphSchema({ typeDefs: parse(await readSubgraphSdl(node!.schemaFile)) });
    expect(Object.keys(schema.getQueryType()!.getFields())).toEqual(expect.arrayContaining(['node', 'nodes']));
    expect(undeclaredFields(schema)).toEqual([]);
  });
});

describe('ids carry their type', () => {
  it('gives users and addresses UUIDv7 ids whose last byte names the type', async () => {
    expect(nodeTypeOf(owner.id)).toBe('User');
    expect(nodeTypeOf(ownerAddress)).toBe('Address');
    expect(owner.id[14]).toBe('7');
    const [row] = await graph.sql<{ id: string }[]>`select id from users.addresses where id = ${ownerAddress}`;
    expect(row?.id).toBe(ownerAddress);
  });
});

describe('node(id:)', () => {
  it('refetches my user and my address with their fields, from the services that own them', async () => {
    const me = await node(owner.id, owner.accessToken);
    expect(me.body).toEqual({
      data: { node: { __typename: 'User', id: owner.id, email: owner.email, emailVerified: true, roles: ['CUSTOMER'], createdAt: expect.any(String) } },
    });
    const address = await node(ownerAddress, owner.accessToken);
    expect(address.body.errors).toBeUndefined();
    expect(address.body.data!.node).toMatchObject({ __typename: 'Address', id: ownerAddress, fullName: 'Ada Lovelace', postalCode: 'SW1A 2AA', countryCode: 'GB' });
    // Ids are case-insensitive UUIDs; the answer carries the stored (lower-case) form a cache keys on.
    expect((await node(ownerAddress.toUpperCase(), owner.accessToken)).body.data!.node).toMatchObject({ id: ownerAddress });
  });

  it("answers another user's address and user exactly like ids that do not exist: null, without an error", async () => {
    const nothing = { data: { node: null } };
    const answers = {
      foreignAddress: (await node(intruderAddress, owner.accessToken)).body,
      foreignUser: (await node(intruder.id, owner.accessToken)).body,
      unknownAddress: (await node(newNodeId('Address'), owner.accessToken)).body,
      unknownUser: (await node(newNodeId('User'), owner.accessToken)).body,
      randomUuid: (await node(randomUUID().replace(/..$/, 'ff'), owner.accessToken)).body,
      malformed: (await node('not-an-id', owner.accessToken)).body,
      anonymous: (await node(ownerAddress)).body,
    };
    expect(answers).toEqual(Object.fromEntries(Object.keys(answers).map((key) => [key, nothing])));
  });

  it('lets an admin refetch anyone, as every other field does', async () => {
    const address = await node(intruderAddress, adminToken);
    expect(address.body.data!.node).toMatchObject({ __typename: 'Address', id: intruderAddress, line1: '10 Downing Street' });
    expect((await node(intruder.id, adminToken)).body.data!.node).toMatchObject({ __typename: 'User', email: intruder.email });
  });

  it('keeps the order of nodes(ids:), with null for each id it cannot answer, and takes at most 100 ids', async () => {
    const response = await graph.request<{ nodes: ({ id: string } | null)[] }>(
      op('Nodes'),
      { ids: [owner.id, intruderAddress, 'nope', ownerAddress, newNodeId('Address')] },
      { token: owner.accessToken },
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.nodes.map((entry) => entry?.id ?? null)).toEqual([owner.id, null, null, ownerAddress, null]);

    const tooMany = await graph.request(op('Nodes'), { ids: Array.from({ length: 101 }, () => newNodeId('User')) }, { token: owner.accessToken });
    expect(tooMany.body.errors?.map(({ message, extensions }) => ({ message, code: extensions?.code }))).toEqual([{ message: 'nodes takes at most 100 ids', code: 'BAD_USER_INPUT' }]);
  });

  it('asks no service when only the id is selected: a typed id reads back as itself, whoever owns it', async () => {
    // The type is in the id, so this tells nothing the caller did not send; any other field asks the owner.
    const echo = await graph.request(`query($id: ID!) { node(id: $id) { __typename id } }`, { id: intruderAddress }, { token: owner.accessToken });
    expect(echo.body).toEqual({ data: { node: { __typename: 'Address', id: intruderAddress } } });
  });
});
