import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLogger,
  generateSigningJwk,
  importSigningKeys,
  localKeyResolver,
  publicKeySet,
  readCommonConfig,
  readSubgraphSdl,
  routerVerificationKeys,
  startSubgraph,
  type RunningHttpService,
} from '@meridian/platform';
import { readRouterConfig, startRouter } from '@meridian/router';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import { registerUser, type SignedInUser } from './support/seed.js';

async function get(url: string, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}?${new URLSearchParams({ query })}`, { headers: { 'apollo-require-preflight': 'true', ...headers } });
  return { status: response.status, cacheControl: response.headers.get('cache-control'), body: (await response.json()) as { data?: unknown; errors?: unknown[] } };
}

describe('Cache-Control of the graph as it is (account data and signing in private; countries and address formats public)', () => {
  let graph: TestGraph;
  let user: SignedInUser;
  beforeAll(async () => {
    graph = await startTestGraph();
    user = await registerUser(graph);
  });
  afterAll(() => graph?.stop());

  it('answers successful GET queries "private, no-store", signed in or not', async () => {
    const signedIn = await get(graph.routerUrl, op('Me'), { authorization: `Bearer ${user.accessToken}` });
    expect(signedIn).toMatchObject({ status: 200, cacheControl: 'private, no-store', body: { data: { me: { id: user.id } } } });
    expect(signedIn.body.errors).toBeUndefined();
    for (const query of [op('Me'), '{ __typename }']) {
      expect(await get(graph.routerUrl, query)).toMatchObject({ status: 200, cacheControl: 'private, no-store' });
    }
  });

  it('answers POST, errors and refusals "no-store"', async () => {
    const posted = await graph.request(op('Me'), {}, { token: user.accessToken });
    expect({ status: posted.status, cacheControl: posted.headers.get('cache-control') }).toEqual({ status: 200, cacheControl: 'no-store' });
    for (const answer of [
      await get(graph.routerUrl, '{ noSuchField }'),
      await get(graph.routerUrl, op('Me'), { authorization: 'Bearer not-a-token' }),
      await get(graph.routerUrl, 'query A { __typename } query B { __typename }'),
    ]) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.cacheControl).toBe('no-store');
    }
  });

  it('leaves the cache-control plugin off in subgraphs without hints: their answers carry no Cache-Control', async () => {
    const answer = await graph.requestSubgraph('auth', '{ __typename }', {}, { routerToken: 'sign' });
    expect({ status: answer.status, cacheControl: answer.headers.get('cache-control') }).toEqual({ status: 200, cacheControl: null });
  });
});

// A subgraph whose fields carry @cacheControl hints (the real subgraphs have none yet), behind the router.
const CATALOG_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable"])

"Test entry points with cache hints."
type Query {
  "The same for everyone, for a minute."
  greeting: String! @public @cacheControl(maxAge: 60, scope: PUBLIC)
  "The same for everyone, for half a minute."
  motto: String! @public @cacheControl(maxAge: 30, scope: PUBLIC)
  "For the caller's own client only."
  basketSize: Int! @public @cacheControl(maxAge: 60, scope: PRIVATE)
  "Not hinted: not cacheable."
  clock: String! @public
}
`;

describe('Cache-Control from @cacheControl hints, through the router', () => {
  let directory: string;
  let catalog: RunningHttpService;
  let router: RunningHttpService;
  let routerUrl: string;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'meridian-catalog-'));
    const schemaFile = path.join(directory, 'schema.graphql');
    await writeFile(schemaFile, CATALOG_SDL);
    const typeDefs = parse(await readSubgraphSdl(pathToFileURL(schemaFile)));
    const common = readCommonConfig({ NODE_ENV: 'test', DATA_DIR: directory });
    const logger = createLogger({ service: 'cache-control-test', level: 'silent' });
    const [routerKeys, accessKeys] = await Promise.all([importSigningKeys([await generateSigningJwk()], 'test'), importSigningKeys([await generateSigningJwk()], 'test')]);
    const accessTokenKeys = localKeyResolver(publicKeySet(accessKeys));
    catalog = await startSubgraph({
      name: 'catalog',
      typeDefs,
      resolvers: { Query: { greeting: () => 'hello', motto: () => 'ship it', basketSize: () => 2, clock: () => new Date().toISOString() } },
      common,
      port: 0,
      logger,
      routerKeys: routerVerificationKeys(localKeyResolver(publicKeySet(routerKeys))),
      createContext: (base) => base,
      isReady: async () => true,
    });
    const composition = composeServices([{ name: 'catalog', url: `${catalog.url}/graphql`, typeDefs }]);
    if (composition.errors) throw new Error(composition.errors.map((error) => error.message).join('\n'));
    router = await startRouter({
      common,
      config: { ...readRouterConfig({ NODE_ENV: 'test' }), port: 0, subgraphUrls: { catalog: [`${catalog.url}/graphql`] } },
      logger,
      supergraphSdl: composition.supergraphSdl,
      signingKeys: routerKeys,
      accessTokenKeys,
    });
    routerUrl = `${router.url}/graphql`;
  });

  afterAll(async () => {
    await router?.close();
    await catalog?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('makes a GET public for the smallest max-age when every field is hinted public', async () => {
    expect(await get(routerUrl, '{ greeting }')).toEqual({
      status: 200,
      cacheControl: 'public, max-age=60',
      body: { data: { greeting: 'hello' }, extensions: { context: { locale: 'en', currency: 'EUR' } } },
    });
    expect(await get(routerUrl, '{ greeting motto }')).toMatchObject({ status: 200, cacheControl: 'public, max-age=30' });
    // The answer depends on the locale and currency the router resolves, so a shared cache must key it by their sources.
    const response = await fetch(`${routerUrl}?${new URLSearchParams({ query: '{ greeting }' })}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.headers.get('vary')).toBe('Origin, Accept-Language, X-Meridian-Locale, X-Meridian-Currency, Authorization');
  });

  it('keeps it "private, no-store" as soon as one field is private or not hinted, and POST "no-store" whatever the hints', async () => {
    expect(await get(routerUrl, '{ greeting basketSize }')).toMatchObject({ status: 200, cacheControl: 'private, no-store' });
    expect(await get(routerUrl, '{ basketSize }')).toMatchObject({ status: 200, cacheControl: 'private, no-store' });
    expect(await get(routerUrl, '{ greeting clock }')).toMatchObject({ status: 200, cacheControl: 'private, no-store' });
    const posted = await fetch(routerUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ greeting }' }) });
    expect({ status: posted.status, cacheControl: posted.headers.get('cache-control') }).toEqual({ status: 200, cacheControl: 'no-store' });
  });
});
