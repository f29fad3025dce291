// Router tokens MACed per subgraph (README "Security", ROUTER_MAC_SECRETS and ROUTER_MAC_KEYS): a subgraph
// configured for MACed tokens only serves a router holding the secret its key was derived from, and no other.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLogger,
  generateRouterMacSecret,
  generateSigningJwk,
  importSigningKeys,
  localKeyResolver,
  publicKeySet,
  readCommonConfig,
  readSubgraphSdl,
  resolveRouterTokenKeys,
  resolveRouterVerificationKeys,
  routerMacKeyEntries,
  startSubgraph,
  type RunningHttpService,
} from '@meridian/platform';
import { readRouterConfig, startRouter } from '@meridian/router';

const NOTES_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable"])
type Query {
  "A greeting."
  hello: String! @public
}
`;

describe('router tokens MACed with a key per subgraph', () => {
  let directory: string;
  let notes: RunningHttpService;
  const routers: RunningHttpService[] = [];
  const secrets = [generateRouterMacSecret()];
  let startRouterWith: (macSecrets: string | undefined) => Promise<string>;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'meridian-mac-'));
    const schemaFile = path.join(directory, 'schema.graphql');
    await writeFile(schemaFile, NOTES_SDL);
    const typeDefs = parse(await readSubgraphSdl(pathToFileURL(schemaFile)));
    const common = readCommonConfig({ NODE_ENV: 'production', DATA_DIR: directory });
    const logger = createLogger({ service: 'router-mac-test', level: 'silent' });
    const [accessKey] = await importSigningKeys([await generateSigningJwk()], 'test');
    // Production with ROUTER_MAC_KEYS and no ROUTER_JWKS: the subgraph takes MACed router tokens only.
    notes = await startSubgraph({
      name: 'notes',
      typeDefs,
      resolvers: { Query: { hello: () => 'hello' } },
      common,
      port: 0,
      logger,
      routerKeys: await resolveRouterVerificationKeys(common, { ROUTER_MAC_KEYS: JSON.stringify(routerMacKeyEntries(secrets, 'notes')) }),
      createContext: (base) => base,
      isReady: async () => true,
    });
    const composition = composeServices([{ name: 'notes', url: `${notes.url}/graphql`, typeDefs }]);
    if (composition.errors) throw new Error(composition.errors.map((error) => error.message).join('\n'));
    // In production a router with ROUTER_MAC_SECRETS needs no ROUTER_SIGNING_KEYS; one without MACs signs.
    startRouterWith = async (macSecrets) => {
      const router = await startRouter({
        common,
        config: { ...readRouterConfig({ NODE_ENV: 'test' }), port: 0, subgraphUrls: { notes: [`${notes.url}/graphql`] } },
        logger,
        supergraphSdl: composition.supergraphSdl,
        ...(await resolveRouterTokenKeys(common, macSecrets === undefined ? { ROUTER_SIGNING_KEYS: JSON.stringify([await generateSigningJwk()]) } : { ROUTER_MAC_SECRETS: macSecrets })),
        accessTokenKeys: localKeyResolver(publicKeySet([accessKey!])),
      });
      routers.push(router);
      return `${router.url}/graphql`;
    };
  });

  afterAll(async () => {
    for (const router of routers) await router.close();
    await notes?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  const hello = async (url: string) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ hello }' }) });
    return (await response.json()) as { data?: { hello?: string } | null; errors?: { extensions?: { code?: string } }[] };
  };

  it('serves the router that holds the secret', async () => {
    expect(await hello(await startRouterWith(JSON.stringify(secrets)))).toMatchObject({ data: { hello: 'hello' } });
  });

  it('refuses a router with another secret, and one that signs (production without ROUTER_MAC_SECRETS)', async () => {
    for (const url of [await startRouterWith(JSON.stringify([generateRouterMacSecret()])), await startRouterWith(undefined)]) {
      // The subgraph answers 403 to a call no router token of its own vouches for.
      expect(await hello(url)).toMatchObject({ data: null, errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    }
  });
});
