import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op, startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

interface Case {
  name: string;
  method?: 'GET' | 'POST' | 'PUT';
  /** Query string parameters of a GET. */
  params?: Record<string, string>;
  /** A POST body: JSON-encoded unless it is a string already. */
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** The reason the message must give. */
  message: RegExp;
}

const json = { 'content-type': 'application/json' };
// What a browser client sends with every GET (Apollo Server's CSRF prevention requires it).
const preflighted = { 'apollo-require-preflight': 'true' };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

// Every request here is the client's mistake: each must get a 4xx with a code that says which one.
const cases: Case[] = [
  {
    name: 'operationName naming no operation of the document',
    body: { query: 'query First { __typename }', operationName: 'Second' },
    status: 400,
    code: 'BAD_REQUEST',
    message: /`operationName` is "Second", but the document defines "First"/,
  },
  {
    name: 'two operations and no operationName',
    body: { query: 'query First { __typename } query Second { __typename }' },
    status: 400,
    code: 'BAD_REQUEST',
    message: /defines 2 operations \("First", "Second"\): give the name of the one to run in `operationName`/,
  },
  {
    name: 'a GET with an empty operationName',
    method: 'GET',
    params: { query: '{ __typename }', operationName: '' },
    headers: preflighted,
    status: 400,
    code: 'BAD_REQUEST',
    message: /`operationName` is empty/,
  },
  {
    name: 'a GET of a mutation',
    method: 'GET',
    params: { query: op('Logout') },
    headers: preflighted,
    status: 405,
    code: 'BAD_REQUEST',
    message: /GET requests only support query operations, not mutation operations/,
  },
  { name: 'malformed JSON', body: '{"query": "{ __typename }"', headers: json, status: 400, code: 'BAD_REQUEST', message: /not valid JSON/ },
  { name: 'no query at all', body: { variables: {} }, status: 400, code: 'BAD_REQUEST', message: /must contain a non-empty `query`/ },
  { name: 'an empty JSON object', body: {}, status: 400, code: 'BAD_REQUEST', message: /JSON object has no keys/ },
  { name: 'a query that is not a string', body: { query: 42 }, status: 400, code: 'BAD_REQUEST', message: /queries must be strings/ },
  { name: 'variables that are not an object', body: { query: '{ __typename }', variables: [1] }, status: 400, code: 'BAD_REQUEST', message: /`variables` .* must be an object/ },
  {
    name: 'a variable of the wrong type',
    body: { query: 'query Conditional($skip: Boolean!) { __typename @skip(if: $skip) }', variables: { skip: 'yes' } },
    status: 400,
    code: 'BAD_USER_INPUT',
    message: /Variable "\$skip" got invalid value "yes"; Boolean cannot represent a non boolean value/,
  },
  { name: 'a missing required variable', body: { query: 'query Conditional($skip: Boolean!) { __typename @skip(if: $skip) }' }, status: 400, code: 'BAD_USER_INPUT', message: /Variable "\$skip" of required type "Boolean!" was not provided/ },
  { name: 'a syntax error', body: { query: '{ __typename ' }, status: 400, code: 'GRAPHQL_PARSE_FAILED', message: /Syntax Error/ },
  { name: 'a field the schema does not have', body: { query: '{ noSuchField }' }, status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: /Cannot query field "noSuchField" on type "Query"/ },
  {
    name: 'an unknown persisted query id',
    body: { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ neverRegistered }') } } },
    status: 404,
    code: 'PERSISTED_QUERY_NOT_FOUND',
    message: /No operation is registered under [0-9a-f]{64}/,
  },
  {
    name: 'an APQ hash that does not match the query',
    body: { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ somethingElse }') } } },
    status: 400,
    code: 'PERSISTED_QUERY_HASH_MISMATCH',
    message: /The SHA-256 hash of `query` is [0-9a-f]{64}, not the `sha256Hash` sent/,
  },
  {
    name: 'an unsupported persisted query version',
    body: { query: '{ __typename }', extensions: { persistedQuery: { version: 2, sha256Hash: sha256('{ __typename }') } } },
    status: 400,
    code: 'BAD_REQUEST',
    message: /only version 1 is supported/,
  },
  {
    name: 'a persisted query hash that is not a SHA-256',
    body: { extensions: { persistedQuery: { version: 1, sha256Hash: 'Me' } } },
    status: 400,
    code: 'BAD_REQUEST',
    message: /must be the SHA-256 hash of the operation/,
  },
  {
    name: 'a GET whose extensions are not JSON',
    method: 'GET',
    params: { query: '{ __typename }', extensions: '{persistedQuery' },
    headers: preflighted,
    status: 400,
    code: 'BAD_REQUEST',
    message: /The extensions search parameter contains invalid JSON/,
  },
  {
    name: 'a content type a form could send (CSRF prevention)',
    body: JSON.stringify({ query: '{ __typename }' }),
    headers: { 'content-type': 'text/plain' },
    status: 400,
    code: 'BAD_REQUEST',
    message: /Cross-Site Request Forgery/,
  },
  {
    name: 'a content type that is not JSON',
    body: '<query>{ __typename }</query>',
    headers: { 'content-type': 'application/xml' },
    status: 400,
    code: 'BAD_REQUEST',
    message: /invalid Content-Type/,
  },
  { name: 'an oversized body', body: { query: '{ __typename }', padding: 'x'.repeat(70_000) }, status: 413, code: 'BAD_REQUEST', message: /too large/ },
  { name: 'a batch', body: [{ query: '{ __typename }' }, { query: '{ __typename }' }], status: 400, code: 'BAD_REQUEST', message: /batching disabled/ },
  { name: 'a method other than GET and POST', method: 'PUT', body: { query: '{ __typename }' }, status: 405, code: 'BAD_REQUEST', message: /Use GET or POST/ },
  { name: 'a malformed Authorization header', body: { query: '{ __typename }' }, headers: { authorization: 'Basic abc' }, status: 401, code: 'UNAUTHENTICATED', message: /./ },
];

async function send(request: Case): Promise<{ status: number; body: { errors?: { message: string; extensions?: { code?: string } }[] } }> {
  const method = request.method ?? 'POST';
  const url = request.params ? `${graph.routerUrl}?${new URLSearchParams(request.params)}` : graph.routerUrl;
  const response = await fetch(url, {
    method,
    headers: { ...(method === 'GET' ? {} : json), ...request.headers },
    ...(method === 'GET' ? {} : { body: typeof request.body === 'string' ? request.body : JSON.stringify(request.body) }),
  });
  return { status: response.status, body: (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] } };
}

describe('malformed requests are the client’s mistake', () => {
  it('answers each with a 4xx, a specific code and the real reason, never a 5xx or INTERNAL_SERVER_ERROR', async () => {
    const answers = await Promise.all(
      cases.map(async (request) => {
        const { status, body } = await send(request);
        const [error] = body.errors ?? [];
        return { name: request.name, status, code: error?.extensions?.code, message: error?.message ?? '' };
      }),
    );
    expect(answers.filter((answer) => answer.status >= 500 || answer.code === 'INTERNAL_SERVER_ERROR')).toEqual([]);
    expect(answers).toEqual(cases.map(({ name, status, code, message }) => ({ name, status, code, message: expect.stringMatching(message) })));
  });

  it('still runs the operation a request does name', async () => {
    const { status, body } = await send({ name: 'named', body: { query: 'query First { first: __typename } query Second { second: __typename }', operationName: 'Second' }, status: 200, code: '', message: /./ });
    expect({ status, body }).toEqual({ status: 200, body: { data: { second: 'Query' }, extensions: { context: { locale: 'en', currency: 'EUR' } } } });
  });
});
