// The router's calls to the subgraphs: abandoned when the client that needs them has gone (a call
// shared by several clients only when the last of them has gone), a whole request that failed as
// unavailable answered 503 with Retry-After, and a mutation never shared with another caller.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouterTokenSigner } from '@meridian/platform';
import type { RouterContext } from '../router/src/context.js';
import { SubgraphDataSource } from '../router/src/subgraph-data-source.js';
import { createSubgraphFetcher } from '../router/src/subgraph-fetcher.js';
import { createSubgraphReplicas } from '../router/src/subgraph-replicas.js';
import { eventually } from './support/eventually.js';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import { registerUser, type SignedInUser } from './support/seed.js';

/** Short enough for the 503 case, long enough for a held call to be abandoned while its lock is held. */
const STATEMENT_TIMEOUT_MS = 2_000;

interface ObservedCall {
  path: string;
  /** The subgraph's `close` of the response came before its answer was sent: its caller went away. */
  closedBeforeAnswer: boolean;
  answered: boolean;
}

/** Every request one of the graph's own (in-process) servers receives, as that server sees it. */
function observeServer(url: string): { calls: ObservedCall[]; graphql(): ObservedCall[]; stop(): void } {
  const port = Number(new URL(url).port);
  const calls: ObservedCall[] = [];
  const onRequest = (message: unknown) => {
    const { request, response, server } = message as { request: IncomingMessage; response: ServerResponse; server: Server };
    if ((server.address() as { port: number } | null)?.port !== port) return;
    const call: ObservedCall = { path: request.url ?? '', closedBeforeAnswer: false, answered: false };
    calls.push(call);
    response.once('finish', () => (call.answered = true));
    response.once('close', () => (call.closedBeforeAnswer = !response.writableFinished));
  };
  subscribe('http.server.request.start', onRequest);
  return { calls, graphql: () => calls.filter((call) => call.path === '/graphql'), stop: () => unsubscribe('http.server.request.start', onRequest) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let graph: TestGraph;
let user: SignedInUser;

beforeAll(async () => {
  graph = await startTestGraph({ env: { DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS) } });
  user = await registerUser(graph, { displayName: 'Held' });
  // The profile given at sign-up reaches the users service through the outbox and the router: no
  // call of the tests below may be confused with its delivery.
  await eventually(async () => {
    const me = await graph.request<{ me: { profile: { displayName: string } | null } }>('{ me { profile { displayName } } }', {}, { token: user.accessToken });
    expect(me.body.data?.me?.profile?.displayName).toBe('Held');
  });
});

afterAll(async () => {
  await graph?.stop();
});

/** Holds an exclusive lock on a table: the auth service's reads of it wait until `release()`. */
async function lockTable(table: string): Promise<() => Promise<void>> {
  const reserved = await graph.sql.reserve();
  await reserved.unsafe(`begin; lock table ${table} in access exclusive mode`);
  return async () => {
    await reserved.unsafe('rollback');
    reserved.release();
  };
}

/** Sends `Me` through the router as the signed-in user; resolves to the answer, or 'aborted'. */
function sendMe(signal: AbortSignal): Promise<{ status: number; body: { data?: { me?: { email?: string } | null } } } | 'aborted'> {
  return fetch(graph.routerUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${user.accessToken}` },
    body: JSON.stringify({ query: op('Me') }),
    signal,
  }).then(
    async (response) => ({ status: response.status, body: (await response.json()) as { data?: { me?: { email?: string } | null } } }),
    () => 'aborted' as const,
  );
}

/** Whether `check` becomes true within `ms` (without failing the test when it does not). */
async function becomes(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

describe('a client that goes away before its answer', () => {
  it('gets its subgraph call abandoned (the subgraph sees it close), and no further call of its plan is made', async () => {
    const auth = observeServer(graph.subgraphUrls.auth);
    const users = observeServer(graph.subgraphUrls.users);
    const release = await lockTable('auth.users');
    let closedWhileHeld: boolean;
    try {
      const client = new AbortController();
      const answer = sendMe(client.signal);
      await eventually(async () => expect(auth.graphql()).toHaveLength(1), 5_000);
      client.abort();
      expect(await answer).toBe('aborted');
      closedWhileHeld = await becomes(() => auth.graphql()[0]!.closedBeforeAnswer, 1_000);
    } finally {
      await release();
    }
    // Had the call gone on, auth would answer now and the plan's next step would ask users for the profile.
    await sleep(500);
    expect({ closedWhileHeld, authCalls: auth.graphql().length, usersCalls: users.graphql().length }).toEqual({ closedWhileHeld: true, authCalls: 1, usersCalls: 0 });
    auth.stop();
    users.stop();
  });

  it('keeps a call shared with another client until the last of them has gone', async () => {
    const auth = observeServer(graph.subgraphUrls.auth);
    const release = await lockTable('auth.users');
    let afterFirstLeft: ObservedCall | undefined;
    let closedAfterLastLeft: boolean;
    try {
      const [first, second] = [new AbortController(), new AbortController()];
      const answers = [sendMe(first.signal), sendMe(second.signal)];
      await eventually(async () => expect(auth.graphql()).toHaveLength(1), 5_000);
      await sleep(200);
      // Identical calls in flight share one: still one call.
      expect(auth.graphql()).toHaveLength(1);
      first.abort();
      await sleep(300);
      afterFirstLeft = { ...auth.graphql()[0]! };
      second.abort();
      expect(await Promise.all(answers)).toEqual(['aborted', 'aborted']);
      closedAfterLastLeft = await becomes(() => auth.graphql()[0]!.closedBeforeAnswer, 1_000);
    } finally {
      await release();
    }
    expect({ afterFirstLeft, closedAfterLastLeft }).toEqual({
      afterFirstLeft: { path: '/graphql', closedBeforeAnswer: false, answered: false },
      closedAfterLastLeft: true,
    });
    auth.stop();
  });

  it('still answers the client that stayed when the other one left', async () => {
    const release = await lockTable('auth.users');
    let answers: Awaited<ReturnType<typeof sendMe>>[];
    try {
      const [leaving, staying] = [new AbortController(), new AbortController()];
      const pending = [sendMe(leaving.signal), sendMe(staying.signal)];
      await sleep(300);
      leaving.abort();
      await sleep(200);
      await release();
      answers = await Promise.all(pending);
    } catch (error) {
      await release();
      throw error;
    }
    expect(answers[0]).toBe('aborted');
    expect(answers[1]).toMatchObject({ status: 200, body: { data: { me: { email: user.email } } } });
  });
});

describe('a request that failed as a whole for a retryable reason', () => {
  it('is answered 503 with Retry-After when every root field failed with SERVICE_UNAVAILABLE; partial data stays 200', async () => {
    const release = await lockTable('auth.users');
    let whole: Awaited<ReturnType<TestGraph['request']>>;
    let partial: Awaited<ReturnType<TestGraph['request']>>;
    try {
      [whole, partial] = await Promise.all([
        graph.request('{ me { id email } }', {}, { token: user.accessToken }),
        graph.request('{ me { id email } countries { code } }', {}, { token: user.accessToken }),
      ]);
    } finally {
      await release();
    }
    expect({ status: whole.status, retryAfter: whole.headers.get('retry-after'), codes: whole.body.errors?.map((error) => error.extensions?.code) }).toEqual({
      status: 503,
      retryAfter: '1',
      codes: ['SERVICE_UNAVAILABLE'],
    });
    expect({ status: partial.status, retryAfter: partial.headers.get('retry-after'), hasCountries: ((partial.body.data as { countries?: unknown[] } | undefined)?.countries?.length ?? 0) > 100 }).toEqual({
      status: 200,
      retryAfter: null,
      hasCountries: true,
    });
  });
});

describe('sharing identical calls in flight', () => {
  it('never shares a mutation, whatever its text starts with; identical queries are shared', async () => {
    const users = observeServer(graph.subgraphUrls.users);
    const replicas = createSubgraphReplicas({ subgraph: 'users', urls: [graph.subgraphUrls.users], ejectionMs: 1_000, ejectionMaxMs: 1_000 });
    const source = new SubgraphDataSource('users', graph.subgraphUrls.users, createRouterTokenSigner(graph.routerKeys[0]!), createSubgraphFetcher(replicas));
    // The caller as the router would have verified them at its edge.
    const caller = await graph.verifiedCaller(user.accessToken);
    const context = {
      requestId: 'mutation-sharing',
      caller,
      viewer: caller.verified.viewer,
      client: { userAgent: 'vitest', ip: '127.0.0.1' },
      signal: new AbortController().signal,
    } as unknown as RouterContext;
    // As the gateway calls a data source for one fetch of a plan, with the fetch's parsed document.
    const send = (query: string, variables: Record<string, unknown> = {}) =>
      source.process({
        // GraphQLDataSourceRequestKind.INCOMING_OPERATION, which @apollo/gateway does not export.
        kind: 'incoming operation',
        request: { query, variables },
        context,
        incomingRequestContext: { context },
        document: parse(query),
      } as unknown as Parameters<SubgraphDataSource['process']>[0]);
    try {
      // Identical queries share one call (the router token of this caller is the same for both once
      // the first is signed, as the router reuses one per caller).
      const countries = '{ countries { code } }';
      await send(countries);
      const before = users.graphql().length;
      await Promise.all([send(countries), send(countries)]);
      const queryCalls = users.graphql().length - before;
      // A valid mutation document whose text does not start with `mutation`.
      const rename = '# renames the profile\nmutation Rename($input: UpdateProfileInput!) { updateProfile(input: $input) { __typename } }';
      const renamed = await Promise.all([send(rename, { input: { displayName: 'Twice' } }), send(rename, { input: { displayName: 'Twice' } })]);
      expect(renamed.map((response) => response.data)).toEqual([{ updateProfile: { __typename: 'ProfileUpdated' } }, { updateProfile: { __typename: 'ProfileUpdated' } }]);
      expect({ queryCalls, mutationCalls: users.graphql().length - before - queryCalls }).toEqual({ queryCalls: 1, mutationCalls: 2 });
    } finally {
      users.stop();
      await replicas.close();
    }
  });
});
