// What the two @graphql-hive/gateway arms share (runtime API on node:http): the same supergraph and subgraphs as the
// router, the caller's token verified once at the edge (with Meridian's verifier, as the router does) and forwarded,
// and a router token vouching for that caller added to each subgraph call. They differ only in the
// runtime that plans and executes, passed in as `unifiedGraphHandler`.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createGatewayRuntime, type GatewayConfigSupergraph } from '@graphql-hive/gateway';
import {
  ROUTER_TOKEN_HEADER,
  createAccessTokenVerifier,
  createRouterTokenSigner,
  parseBearer,
  readCommonConfig,
  remoteKeyResolver,
  resolveRouterTokenKeys,
  type VerifiedCaller,
} from '@meridian/platform';
import { withoutSecurityPurpose } from '@meridian/router';

export async function serveHiveGateway(name: string, options: Pick<GatewayConfigSupergraph, 'unifiedGraphHandler'> = {}): Promise<void> {
  const port = Number(process.env.PORT);
  // Router tokens as the router makes them (ROUTER_SIGNING_KEYS, ROUTER_MAC_SECRETS): MACed when it has a MAC secret.
  const { signingKeys, macSecrets } = await resolveRouterTokenKeys(readCommonConfig());
  const sign = createRouterTokenSigner(signingKeys[0], { mac: macSecrets[0] });
  const verifyAccessToken = createAccessTokenVerifier({ keys: remoteKeyResolver(process.env.AUTH_JWKS_URL!), issuer: 'urn:meridian:auth', audience: 'urn:meridian:api' });
  // The supergraph's `node` subgraph is hosted in process by the router; these arms never query `node`, and its
  // URL (in-process.invalid) is never dialed.
  const urls: Record<string, string> = { auth: process.env.AUTH_SUBGRAPH_URL!, users: process.env.USERS_SUBGRAPH_URL!, localization: process.env.LOCALIZATION_SUBGRAPH_URL!, catalog: process.env.CATALOG_SUBGRAPH_URL!, inventory: process.env.INVENTORY_SUBGRAPH_URL!, cart: process.env.CART_SUBGRAPH_URL!, orders: process.env.ORDERS_SUBGRAPH_URL!, notifications: process.env.NOTIFICATIONS_SUBGRAPH_URL!, payments: process.env.PAYMENTS_SUBGRAPH_URL! };

  let supergraph = withoutSecurityPurpose(await readFile(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'));
  for (const [subgraph, url] of Object.entries(urls)) supergraph = supergraph.replace(new RegExp(`(name: "${subgraph}", url: ")[^"]+(")`), `$1${url}$2`);

  const gateway = createGatewayRuntime({
    supergraph,
    logging: 'error',
    ...options,
    propagateHeaders: {
      async fromClientToSubgraphs({ request, subgraphName }) {
        const bearer = parseBearer(request.headers.get('authorization') ?? undefined);
        let caller: VerifiedCaller | undefined;
        if (bearer.kind === 'token') {
          // Verified tokens are cached: a request's second subgraph call finds its token verified.
          const check = await verifyAccessToken(bearer.token);
          if (!check.ok) throw new Error(`the access token is ${check.reason}`);
          caller = { accessToken: bearer.token, verified: check.token };
        }
        const routerToken = sign({ subgraph: subgraphName, caller, client: { ip: null, userAgent: null } });
        return { ...(caller ? { authorization: `Bearer ${caller.accessToken}` } : {}), [ROUTER_TOKEN_HEADER]: routerToken };
      },
    },
  });
  createServer(gateway).listen(port, '127.0.0.1', () => console.log(`${name} on ${port}`));
  // The runtime disposes itself on SIGTERM but leaves the server listening: the process would stay until the bench's SIGKILL, 10 s later.
  process.once('SIGTERM', () => process.exit(0));
}
