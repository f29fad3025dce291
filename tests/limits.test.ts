import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import { registerUser, sampleAddress, type SignedInUser } from './support/seed.js';

let graph: TestGraph;
let user: SignedInUser;

beforeAll(async () => {
  // One hash at a time and no queue, so two sign-ins at once must refuse one of them.
  graph = await startTestGraph({ env: { PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE_LIMIT: '0' } });
  user = await registerUser(graph);
});
afterAll(() => graph?.stop());

const address = (index: number) => ({ ...sampleAddress, line1: `${index} Downing Street` });

describe('limits', () => {
  it('refuses sign-ins beyond the hashing queue with RateLimited', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 4 }, () => graph.request<{ login: { __typename: string; retryAfterSeconds?: number } }>(op('Login'), { input: { email: user.email, password: user.password } })),
    );
    const outcomes = attempts.map((attempt) => attempt.body.data!.login);
    expect(outcomes.filter((outcome) => outcome.__typename === 'AuthSession').length).toBeGreaterThanOrEqual(1);
    expect(outcomes.filter((outcome) => outcome.__typename === 'RateLimited')).toContainEqual(
      expect.objectContaining({ __typename: 'RateLimited', retryAfterSeconds: 1 }),
    );
  });

  it('caps the address book at 100 entries, also under concurrent adds', async () => {
    for (let start = 0; start < 98; start += 14) {
      await Promise.all(Array.from({ length: 14 }, (_, offset) => graph.request(op('AddAddress'), { input: address(start + offset) }, { token: user.accessToken })));
    }
    expect(await graph.count('users.addresses')).toBe(98);
    const racing = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        graph.request<{ addAddress: { __typename: string; limit?: number } }>(op('AddAddress'), { input: address(200 + index) }, { token: user.accessToken }),
      ),
    );
    const outcomes = racing.map((response) => response.body.data!.addAddress);
    expect(outcomes.filter((outcome) => outcome.__typename === 'AddressAdded')).toHaveLength(2);
    expect(outcomes.filter((outcome) => outcome.__typename === 'LimitReached')).toEqual(
      Array.from({ length: 3 }, () => expect.objectContaining({ code: 'LIMIT_REACHED', limit: 100 })),
    );
    expect(await graph.count('users.addresses')).toBe(100);
  });

  it('reads its own writes within one request (aliased mutations)', async () => {
    const [first, second] = (await graph.sql<{ id: string }[]>`select id from users.addresses order by id limit 2`).map((row) => row.id);
    const response = await graph.request<Record<string, { user: { defaultShippingAddress: { id: string } } }>>(
      `mutation($a: ID!, $b: ID!) {
        x: setDefaultAddress(id: $a, kind: SHIPPING) { ... on DefaultAddressSet { user { defaultShippingAddress { id } } } }
        y: setDefaultAddress(id: $b, kind: SHIPPING) { ... on DefaultAddressSet { user { defaultShippingAddress { id } } } }
      }`,
      { a: first, b: second },
      { token: user.accessToken },
    );
    expect(response.body.data).toEqual({ x: { user: { defaultShippingAddress: { id: first } } }, y: { user: { defaultShippingAddress: { id: second } } } });
  });
});
