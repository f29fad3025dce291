import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serveStaticPage, type Browser, type StaticSite } from './support/browser.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

// The web app's page: it calls the router the way a browser client does (a JSON POST, with credentials,
// so the browser sends a preflight first) and keeps what it could read of the answer.
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Meridian CORS check</title></head>
<body><script>
  const router = new URLSearchParams(location.search).get('router');
  window.answer = fetch(router, {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  }).then(
    async (response) => ({ status: response.status, requestId: response.headers.get('x-request-id'), body: await response.json() }),
    (error) => ({ error: error.message }),
  );
</script></body></html>`;

let graph: TestGraph;
let listed: StaticSite;
let unlisted: StaticSite;
let browser: Browser;

beforeAll(async () => {
  listed = await serveStaticPage(PAGE);
  unlisted = await serveStaticPage(PAGE);
  graph = await startTestGraph({ env: { CORS_ORIGINS: `https://shop.example, ${listed.origin}` } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await graph?.stop();
  await listed?.close();
  await unlisted?.close();
});

const corsHeaders = (response: Response) => [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));

function preflight(origin: string, requestHeaders = 'content-type') {
  return fetch(graph.routerUrl, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
  });
}

function post(body: string, headers: Record<string, string> = {}) {
  return fetch(graph.routerUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

describe('CORS on /graphql', () => {
  it('answers a preflight from a listed origin with that origin, credentials, the methods and headers Apollo Client sends, and a max age', async () => {
    const response = await preflight(listed.origin, 'content-type, authorization, apollo-require-preflight');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(listed.origin);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    const allowed = response.headers.get('access-control-allow-headers')!.split(',').map((name) => name.trim());
    expect(allowed).toEqual(expect.arrayContaining(['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name', 'apollographql-client-name', 'apollographql-client-version']));
    expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it('answers a preflight from any other origin, or without one, with no CORS headers at all (and not 405)', async () => {
    for (const response of [await preflight(unlisted.origin), await preflight('null'), await fetch(graph.routerUrl, { method: 'OPTIONS' })]) {
      expect(response.status).toBe(204);
      expect(corsHeaders(response)).toEqual([]);
      expect(response.headers.get('vary')).toBe('Origin');
    }
  });

  it('lets a listed origin read every answer, errors included, with credentials and the request id; tells no one else anything', async () => {
    const answers = [
      await post(JSON.stringify({ query: '{ __typename }' }), { origin: listed.origin }),
      await post('{"query":', { origin: listed.origin }),
      await post(JSON.stringify({ query: '{ __typename }' }), { origin: listed.origin, authorization: 'Bearer not-a-token' }),
      await post(JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(70_000) }), { origin: listed.origin }),
    ];
    expect(answers.map((response) => response.status)).toEqual([200, 400, 401, 413]);
    for (const response of answers) {
      expect(response.headers.get('access-control-allow-origin')).toBe(listed.origin);
      expect(response.headers.get('access-control-allow-credentials')).toBe('true');
      expect(response.headers.get('access-control-expose-headers')).toBe('x-request-id');
      expect(response.headers.get('vary')).toBe('Origin');
    }
    const others: Record<string, string>[] = [{ origin: unlisted.origin }, { origin: 'http://localhost:3000' }, {}];
    for (const headers of others) {
      const response = await post(JSON.stringify({ query: '{ __typename }' }), headers);
      expect(response.status).toBe(200);
      expect(corsHeaders(response)).toEqual([]);
      expect(response.headers.get('vary')).toBe('Origin');
    }
  });

  it('keeps CSRF prevention: a request a browser sends without a preflight is refused, from a listed origin too', async () => {
    const simplePost = await fetch(graph.routerUrl, {
      method: 'POST',
      headers: { origin: listed.origin, 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    const simpleGet = await fetch(`${graph.routerUrl}?query=${encodeURIComponent('{ __typename }')}`, { headers: { origin: listed.origin } });
    for (const response of [simplePost, simpleGet]) {
      expect(response.status).toBe(400);
      expect(((await response.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/Cross-Site Request Forgery/);
    }
    const preflighted = await fetch(`${graph.routerUrl}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { origin: listed.origin, 'apollo-require-preflight': 'true' },
    });
    expect(preflighted.status).toBe(200);
  });
});

describe('in headless Chromium', () => {
  async function callFrom(site: StaticSite): Promise<{ status?: number; requestId?: string | null; body?: unknown; error?: string }> {
    const page = await browser.newPage();
    try {
      await page.goto(`${site.origin}/?router=${encodeURIComponent(graph.routerUrl)}`);
      return await page.evaluate(() => (window as unknown as { answer: Promise<Record<string, unknown>> }).answer);
    } finally {
      await page.close();
    }
  }

  it('lets a page of a listed origin call the router with credentials and read the answer and its request id', async () => {
    const answer = await callFrom(listed);
    expect(answer).toEqual({
      status: 200,
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      body: { data: { __typename: 'Query' }, extensions: { context: { locale: 'en', currency: 'EUR' } } },
    });
  });

  it('blocks a page of any other origin ("Failed to fetch")', async () => {
    expect(await callFrom(unlisted)).toEqual({ error: 'Failed to fetch' });
  });
});
