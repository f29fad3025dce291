// @graphql-hive/gateway (runtime API on node:http), on the same supergraph and subgraphs as the
// router, forwarding the caller's token and adding a router token for each subgraph call.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { ROUTER_TOKEN_HEADER, createRouterTokenSigner, importSigningKeys } from '@meridian/platform';
import { withoutSecurityPurpose } from '@meridian/router';

const port = Number(process.env.PORT);
const [key] = await importSigningKeys(JSON.parse(process.env.ROUTER_SIGNING_KEYS ?? '[]'), 'ROUTER_SIGNING_KEYS');
const sign = createRouterTokenSigner(key!);
// The supergraph's `node` subgraph is hosted in process by the router; this arm never queries `node`, and its
// URL (in-process.invalid) is never dialed.
const urls: Record<string, string> = { auth: process.env.AUTH_SUBGRAPH_URL!, users: process.env.USERS_SUBGRAPH_URL!, localization: process.env.LOCALIZATION_SUBGRAPH_URL!, catalog: process.env.CATALOG_SUBGRAPH_URL!, inventory: process.env.INVENTORY_SUBGRAPH_URL!, cart: process.env.CART_SUBGRAPH_URL!, orders: process.env.ORDERS_SUBGRAPH_URL!, notifications: process.env.NOTIFICATIONS_SUBGRAPH_URL!, payments: process.env.PAYMENTS_SUBGRAPH_URL! };

let supergraph = withoutSecurityPurpose(await readFile(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'));
for (const [name, url] of Object.entries(urls)) supergraph = supergraph.replace(new RegExp(`(name: "${name}", url: ")[^"]+(")`), `$1${url}$2`);

const gateway = createGatewayRuntime({
  supergraph,
  logging: 'error',
  propagateHeaders: {
    async fromClientToSubgraphs({ request, subgraphName }) {
      const authorization = request.headers.get('authorization') ?? undefined;
      const routerToken = await sign({
        subgraph: subgraphName,
        accessToken: authorization?.replace(/^Bearer /i, ''),
        client: { ip: null, userAgent: null },
      });
      return { ...(authorization ? { authorization } : {}), [ROUTER_TOKEN_HEADER]: routerToken };
    },
  },
});
const server = createServer(gateway).listen(port, '127.0.0.1', () => console.log(`hive gateway on ${port}`));
// The runtime takes SIGTERM over to dispose of itself but leaves this server listening, so the process waited for SIGKILL.
process.once('SIGTERM', () => server.close());
