import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import { registerUser, sampleAddress, type SignedInUser } from './support/seed.js';

let graph: TestGraph;
let user: SignedInUser;

beforeAll(async () => {
  graph = await startTestGraph();
  user = await registerUser(graph);
});
afterAll(() => graph?.stop());

type Answer = { __typename: string; address?: { id: string }; code?: string; fields?: { field: string }[] };
const add = async (input: Record<string, unknown>, idempotencyKey: string | null, token = user.accessToken) =>
  (await graph.request<{ addAddress: Answer }>(op('AddAddress'), { input, ...(idempotencyKey === null ? {} : { idempotencyKey }) }, { token })).body.data!.addAddress;
const addressesOf = async (userId: string) => Number((await graph.sql`select count(*)::int as count from users.addresses where user_id = ${userId}`)[0]!.count);

describe('addAddress with an idempotency key', () => {
  it('answers a retry with the address the first request added, and adds nothing', async () => {
    const key = randomUUID();
    const before = await addressesOf(user.id);
    const first = await add(sampleAddress, key);
    expect(first.__typename).toBe('AddressAdded');
    const retry = await add({ ...sampleAddress, postalCode: 'SW1A 2AA' }, key);
    expect(retry).toEqual(first);
    expect(await addressesOf(user.id)).toBe(before + 1);
  });

  it('adds exactly once when the same request is sent ten times at once', async () => {
    const key = randomUUID();
    const before = await addressesOf(user.id);
    const answers = await Promise.all(Array.from({ length: 10 }, () => add({ ...sampleAddress, line2: 'Flat 10' }, key)));
    expect(new Set(answers.map((answer) => answer.address?.id)).size).toBe(1);
    expect(await addressesOf(user.id)).toBe(before + 1);
  });

  it('adds once when the client gave up on the first answer and retried', async () => {
    const key = randomUUID();
    const before = await addressesOf(user.id);
    const abandoned = new AbortController();
    const firstTry = fetch(graph.routerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.accessToken}` },
      body: JSON.stringify({ query: op('AddAddress'), variables: { input: { ...sampleAddress, line2: 'Flat 11' }, idempotencyKey: key } }),
      signal: abandoned.signal,
    }).catch(() => 'gave up');
    setTimeout(() => abandoned.abort(), 5);
    await firstTry;
    const retry = await add({ ...sampleAddress, line2: 'Flat 11' }, key);
    expect(retry.__typename).toBe('AddressAdded');
    expect(await addressesOf(user.id)).toBe(before + 1);
  });

  it('refuses the key with other input, and a malformed key, and adds nothing', async () => {
    const key = randomUUID();
    await add(sampleAddress, key);
    const before = await addressesOf(user.id);
    expect(await add({ ...sampleAddress, line1: '11 Downing Street' }, key)).toMatchObject({ __typename: 'IdempotencyKeyReused', code: 'IDEMPOTENCY_KEY_REUSED' });
    for (const bad of ['', 'x'.repeat(201), 'with space', 'clé']) {
      expect(await add(sampleAddress, bad), bad).toMatchObject({ __typename: 'ValidationFailed', fields: [{ field: 'idempotencyKey' }] });
    }
    expect(await addressesOf(user.id)).toBe(before);
  });

  it('keeps each user’s keys apart, and adds every time without a key', async () => {
    const other = await registerUser(graph);
    const key = randomUUID();
    const mine = await add(sampleAddress, key);
    const theirs = await add(sampleAddress, key, other.accessToken);
    expect(theirs.__typename).toBe('AddressAdded');
    expect(theirs.address!.id).not.toBe(mine.address!.id);
    const before = await addressesOf(user.id);
    await add(sampleAddress, null);
    await add(sampleAddress, null);
    expect(await addressesOf(user.id)).toBe(before + 2);
  });
});
