import { createHash, randomUUID } from 'node:crypto';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { createPersistedQueryManifestVerificationLink, generatePersistedQueryIdsFromManifest } from '@apollo/persisted-query-lists';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPersistedQueryManifest, type PersistedQueryManifest } from '@meridian/schema';
import { possibleTypes } from '@meridian/client';
import { op, startTestGraph, type TestGraph } from './support/graph.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let manifest: PersistedQueryManifest;
const listed = (name: string) => manifest.operations.find((operation) => operation.name === name)!;

beforeAll(async () => {
  manifest = await loadPersistedQueryManifest();
});

interface SentRequest {
  method: string;
  query?: string;
  sha256Hash?: string;
  operationName?: string;
}

/**
 * An Apollo Client 4, as a web app would build one, that records what it sends. `list`: the ids of
 * the persisted query list (@apollo/persisted-query-lists), checked against the manifest on the way;
 * `apq`: automatic persisted queries (SHA-256 of the document).
 */
function apolloClient(graph: TestGraph, mode: 'list' | 'apq', options: { token?: string; useGETForHashedQueries?: boolean } = {}) {
  const sent: SentRequest[] = [];
  const mismatches: string[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : undefined;
    const extensions = (body?.extensions ?? JSON.parse(url.searchParams.get('extensions') ?? '{}')) as { persistedQuery?: { sha256Hash: string } };
    const query = (body?.query ?? url.searchParams.get('query') ?? undefined) as string | undefined;
    sent.push({
      method: init?.method ?? 'GET',
      ...(query ? { query } : {}),
      ...(extensions.persistedQuery ? { sha256Hash: extensions.persistedQuery.sha256Hash } : {}),
      operationName: (body?.operationName ?? url.searchParams.get('operationName')) as string,
    });
    return fetch(input, init);
  };
  const persisted =
    mode === 'list'
      ? new PersistedQueryLink({ ...generatePersistedQueryIdsFromManifest({ loadManifest: () => manifest }), useGETForHashedQueries: options.useGETForHashedQueries ?? false })
      : new PersistedQueryLink({ sha256, useGETForHashedQueries: options.useGETForHashedQueries ?? false });
  const links: ApolloLink[] = [];
  if (mode === 'list') {
    const verification = createPersistedQueryManifestVerificationLink({
      loadManifest: () => manifest,
      onVerificationFailed: (details) => mismatches.push(`${details.reason} ${details.operation.operationName}`),
    });
    // @apollo/persisted-query-lists is CommonJS: its link is typed with Apollo Client's CommonJS declarations.
    links.push(verification as unknown as ApolloLink);
  }
  links.push(persisted, new HttpLink({ uri: graph.routerUrl, fetch: recordingFetch, headers: options.token ? { authorization: `Bearer ${options.token}` } : {} }));
  const client = new ApolloClient({ cache: new InMemoryCache({ possibleTypes }), link: ApolloLink.from(links) });
  return { client, sent, mismatches };
}

async function post(graph: TestGraph, body: unknown, method: 'POST' | 'GET' = 'POST') {
  const response =
    method === 'POST'
      ? await fetch(graph.routerUrl, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      : await fetch(`${graph.routerUrl}?${new URLSearchParams(Object.entries(body as Record<string, unknown>).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]))}`, {
          headers: { 'apollo-require-preflight': 'true' },
        });
  return { status: response.status, cacheControl: response.headers.get('cache-control'), body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } };
}

const byId = (hash: string, operationName?: string) => ({ ...(operationName ? { operationName } : {}), extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
const codeOf = (answer: Awaited<ReturnType<typeof post>>) => answer.body.errors?.[0]?.extensions?.code;

describe('PERSISTED_QUERIES=safelist (the production default)', () => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startTestGraph({ env: { PERSISTED_QUERIES: 'safelist' } });
  });
  afterAll(() => graph?.stop());

  it('serves Apollo Client 4 with the persisted query list by id alone: sign up, verify, read me', async () => {
    const email = `list-${randomUUID()}@example.com`;
    const anonymous = apolloClient(graph, 'list');
    const registered = await anonymous.client.mutate({
      mutation: gql(op('Register')),
      variables: { input: { email, password: 'a perfectly fine passphrase' } },
      fetchPolicy: 'no-cache',
    });
    expect(registered.data).toMatchObject({ register: { __typename: 'VerificationEmailSent' } });
    const mail = await graph.mailbox.waitFor((received) => received.to === email && received.link?.includes('/verify-email') === true);
    const verified = await anonymous.client.mutate<{ verifyEmail: { __typename: string; accessToken: string } }>({
      mutation: gql(op('VerifyEmail')),
      variables: { token: mail.token },
      fetchPolicy: 'no-cache',
    });
    expect(verified.data?.verifyEmail.__typename).toBe('AuthSession');

    const signedIn = apolloClient(graph, 'list', { token: verified.data!.verifyEmail.accessToken, useGETForHashedQueries: true });
    const me = await signedIn.client.query({ query: gql(op('Me')), fetchPolicy: 'no-cache' });
    expect(me.data).toMatchObject({ me: { email } });

    const sent = [...anonymous.sent, ...signedIn.sent];
    expect(sent).toEqual([
      { method: 'POST', operationName: 'Register', sha256Hash: listed('Register').id },
      { method: 'POST', operationName: 'VerifyEmail', sha256Hash: listed('VerifyEmail').id },
      { method: 'GET', operationName: 'Me', sha256Hash: listed('Me').id },
    ]);
    expect([...anonymous.mismatches, ...signedIn.mismatches]).toEqual([]);
  });

  it('runs a listed operation sent by id or as its exact body', async () => {
    const me = listed('Me');
    for (const answer of [await post(graph, { query: me.body }), await post(graph, byId(me.id, 'Me'), 'GET'), await post(graph, { query: me.body, ...byId(me.id) })]) {
      expect(answer).toMatchObject({ status: 200, body: { data: { me: null } } });
    }
  });

  it('refuses any other operation with PERSISTED_QUERY_NOT_IN_LIST, and registers nothing', async () => {
    const adHoc = '{ __typename }';
    const answers = [
      await post(graph, { query: adHoc }),
      // The same operation as the list's, written differently (without the __typename Apollo Client adds).
      await post(graph, { query: op('Me') }),
      await post(graph, byId(sha256('{ notInTheList }'))),
      await post(graph, { query: adHoc, ...byId(sha256(adHoc)) }),
      await post(graph, byId(sha256(adHoc))),
      await post(graph, { query: adHoc }, 'GET'),
    ];
    for (const answer of answers) {
      expect({ status: answer.status, code: codeOf(answer), cacheControl: answer.cacheControl }).toEqual({ status: 400, code: 'PERSISTED_QUERY_NOT_IN_LIST', cacheControl: 'no-store' });
      expect(answer.body.errors?.[0]?.message).toMatch(/persisted query list/);
    }
  });
});

describe('PERSISTED_QUERIES=apq (the development default)', () => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startTestGraph({ env: { PERSISTED_QUERIES: 'apq' } });
  });
  afterAll(() => graph?.stop());

  it('serves the list by id, and any operation as text', async () => {
    const list = apolloClient(graph, 'list');
    expect((await list.client.query({ query: gql(op('Me')), fetchPolicy: 'no-cache' })).data).toEqual({ me: null });
    expect(list.sent).toEqual([{ method: 'POST', operationName: 'Me', sha256Hash: listed('Me').id }]);
    expect(await post(graph, { query: '{ __typename }' })).toMatchObject({ status: 200, body: { data: { __typename: 'Query' } } });
  });

  it('registers an operation the way Apollo Client’s APQ link expects: unknown hash (404), hash and query, then hash alone', async () => {
    const apq = apolloClient(graph, 'apq');
    const query = gql('query Greeting { greeting: __typename }');
    expect((await apq.client.query({ query, fetchPolicy: 'no-cache' })).data).toEqual({ greeting: 'Query' });
    expect((await apq.client.query({ query, fetchPolicy: 'no-cache' })).data).toEqual({ greeting: 'Query' });
    const hash = apq.sent[0]!.sha256Hash!;
    expect(apq.sent).toEqual([
      { method: 'POST', operationName: 'Greeting', sha256Hash: hash },
      { method: 'POST', operationName: 'Greeting', sha256Hash: hash, query: expect.stringContaining('query Greeting') },
      { method: 'POST', operationName: 'Greeting', sha256Hash: hash },
    ]);
  });

  it('registers only operations that validate', async () => {
    const invalid = '{ noSuchField }';
    const registering = await post(graph, { query: invalid, ...byId(sha256(invalid)) });
    expect({ status: registering.status, code: codeOf(registering) }).toEqual({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
    const lookedUp = await post(graph, byId(sha256(invalid)));
    expect({ status: lookedUp.status, code: codeOf(lookedUp) }).toEqual({ status: 404, code: 'PERSISTED_QUERY_NOT_FOUND' });
  });
});

describe('PERSISTED_QUERIES=off', () => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startTestGraph({ env: { PERSISTED_QUERIES: 'off' } });
  });
  afterAll(() => graph?.stop());

  it('refuses every persisted query with PERSISTED_QUERY_NOT_SUPPORTED, which makes Apollo Client send the text instead', async () => {
    for (const answer of [await post(graph, byId(listed('Me').id)), await post(graph, { query: '{ __typename }', ...byId(sha256('{ __typename }')) })]) {
      expect({ status: answer.status, code: codeOf(answer) }).toEqual({ status: 400, code: 'PERSISTED_QUERY_NOT_SUPPORTED' });
    }
    const apq = apolloClient(graph, 'apq');
    expect((await apq.client.query({ query: gql('query Greeting { greeting: __typename }'), fetchPolicy: 'no-cache' })).data).toEqual({ greeting: 'Query' });
    expect(apq.sent.map((request) => ('query' in request ? 'text' : 'hash'))).toEqual(['hash', 'text']);
  });
});
