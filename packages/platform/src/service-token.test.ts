import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config.js';
import { createLogger } from './logger.js';
import { ISSUE_SERVICE_TOKEN_OPERATION, ServiceTokenError, createServiceTokenSource, readServiceCredentials } from './service-token.js';

const SECRET = 'kD9#-a-secret-that-must-never-be-logged';
const manifest = { operations: [{ name: ISSUE_SERVICE_TOKEN_OPERATION, body: 'mutation IssueServiceToken($clientId: String!, $clientSecret: String!) { … }' }] };

type Answer = Record<string, unknown> | 'network-error';

/** A router that answers `IssueServiceToken` from a script, and a clock the test moves. */
function harness(options: { lifetimeSeconds?: number } = {}) {
  const clock = { now: 1_000_000 };
  const requests: { url: string; init: RequestInit }[] = [];
  const answers: Answer[] = [];
  const pending: (() => void)[] = [];
  let held = false;
  let issued = 0;
  const lines: string[] = [];
  const log = createLogger(
    { service: 'test', level: 'debug' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );
  const fakeFetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    requests.push({ url: String(url), init: init ?? {} });
    if (held) await new Promise<void>((resolve) => pending.push(resolve));
    const answer = answers.shift() ?? { __typename: 'ServiceToken', accessToken: `token-${++issued}`, expiresIn: options.lifetimeSeconds ?? 300 };
    if (answer === 'network-error') throw new TypeError('fetch failed');
    return new Response(JSON.stringify({ data: { issueServiceToken: answer } }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const source = createServiceTokenSource({
    routerUrl: () => 'http://router.test/graphql',
    clientId: 'orders',
    clientSecret: SECRET,
    manifest,
    log,
    fetch: fakeFetch as typeof fetch,
    now: () => clock.now,
  });
  return {
    source,
    clock,
    requests,
    answers,
    lines,
    advance: (ms: number) => (clock.now += ms),
    hold: () => (held = true),
    release: () => {
      held = false;
      pending.splice(0).forEach((resolve) => resolve());
    },
  };
}

describe('createServiceTokenSource', () => {
  it('asks the router with IssueServiceToken exactly as listed, without an Authorization header', async () => {
    const { source, requests } = harness();
    expect(await source()).toBe('token-1');
    expect(requests).toHaveLength(1);
    const [{ url, init }] = requests as [{ url: string; init: RequestInit }];
    expect(url).toBe('http://router.test/graphql');
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(init.body as string)).toEqual({
      query: manifest.operations[0]!.body,
      operationName: 'IssueServiceToken',
      variables: { clientId: 'orders', clientSecret: SECRET },
    });
  });

  it('keeps the token until about a minute before it expires, then renews it', async () => {
    const { source, requests, advance } = harness();
    expect(await source()).toBe('token-1');
    advance(239_000);
    expect(await source()).toBe('token-1');
    expect(requests).toHaveLength(1);
    advance(1_000);
    expect(await source()).toBe('token-2');
    expect(requests).toHaveLength(2);
  });

  it('renews a short-lived token at half its lifetime', async () => {
    const { source, requests, advance } = harness({ lifetimeSeconds: 60 });
    await source();
    advance(29_000);
    expect(await source()).toBe('token-1');
    advance(1_000);
    expect(await source()).toBe('token-2');
    expect(requests).toHaveLength(2);
  });

  it('sends one request for any number of concurrent callers', async () => {
    const { source, requests, hold, release } = harness();
    hold();
    const waiting = Promise.all(Array.from({ length: 20 }, () => source()));
    await new Promise((resolve) => setImmediate(resolve));
    release();
    expect(new Set(await waiting)).toEqual(new Set(['token-1']));
    expect(requests).toHaveLength(1);
  });

  it('keeps using the current token while a renewal fails, and fails once it has run out', async () => {
    const { source, answers, advance, lines } = harness();
    await source();
    advance(250_000);
    answers.push('network-error');
    expect(await source()).toBe('token-1');
    expect(lines.join('')).toContain('the current one is used while it lasts');
    advance(46_000);
    answers.push('network-error');
    await expect(source()).rejects.toMatchObject({ name: 'ServiceTokenError', code: 'FAILED' });
    expect(await source()).toBe('token-2');
  });

  it('fails with INVALID_CLIENT_CREDENTIALS, and never writes the secret anywhere', async () => {
    const { source, answers, lines, advance } = harness();
    answers.push({ __typename: 'InvalidClientCredentials', code: 'INVALID_CLIENT_CREDENTIALS', message: 'The client id or secret is incorrect' });
    const refusal = await source().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ServiceTokenError);
    expect(refusal).toMatchObject({ code: 'INVALID_CLIENT_CREDENTIALS' });
    await source();
    advance(250_000);
    answers.push('network-error');
    await source();
    expect(lines.length).toBeGreaterThan(0);
    for (const text of [String(refusal), JSON.stringify(refusal), (refusal as Error).stack ?? '', ...lines]) expect(text).not.toContain(SECRET);
  });

  it('sends nothing while the auth service asks it to wait', async () => {
    const { source, answers, requests, advance } = harness();
    answers.push({ __typename: 'RateLimited', code: 'RATE_LIMITED', message: 'Too many attempts', retryAfterSeconds: 30 });
    await expect(source()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    advance(29_000);
    await expect(source()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(requests).toHaveLength(1);
    advance(1_000);
    expect(await source()).toBe('token-1');
    expect(requests).toHaveLength(2);
  });

  it('fails on an answer without a token, and forgets a token the graph refused', async () => {
    const { source, answers, requests } = harness();
    answers.push({ __typename: 'ServiceToken', accessToken: 'token-x' });
    await expect(source()).rejects.toMatchObject({ code: 'FAILED' });
    const token = await source();
    source.forget('another token');
    expect(await source()).toBe(token);
    source.forget(token);
    expect(await source()).not.toBe(token);
    expect(requests).toHaveLength(3);
  });

  it('refuses a manifest without IssueServiceToken', () => {
    expect(() => createServiceTokenSource({ routerUrl: () => '', clientId: 'orders', clientSecret: SECRET, manifest: { operations: [] }, log: createLogger({ service: 'test' }) })).toThrow(
      /IssueServiceToken is not in the persisted query list/,
    );
  });
});

describe('readServiceCredentials', () => {
  it('reads both variables or neither', () => {
    expect(readServiceCredentials({})).toBeUndefined();
    expect(readServiceCredentials({ SERVICE_CLIENT_ID: 'orders', SERVICE_CLIENT_SECRET: SECRET })).toEqual({ clientId: 'orders', clientSecret: SECRET });
    expect(() => readServiceCredentials({ SERVICE_CLIENT_ID: 'orders' })).toThrow(ConfigError);
    expect(() => readServiceCredentials({ SERVICE_CLIENT_SECRET: SECRET })).toThrow(ConfigError);
    expect(() => readServiceCredentials({ SERVICE_CLIENT_ID: 'Orders Service', SERVICE_CLIENT_SECRET: SECRET })).toThrow(/SERVICE_CLIENT_ID must match/);
  });
});
