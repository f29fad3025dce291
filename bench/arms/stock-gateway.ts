// A stock @apollo/gateway, set up as its documentation shows (ApolloServer + startStandaloneServer,
// RemoteGraphQLDataSource with willSendRequest), on the same supergraph and subgraphs as the router.
// It adds what any gateway in front of Meridian's subgraphs must: the caller's token, verified once at the
// edge (with Meridian's verifier, as the router does), and a router token vouching for that caller.
import { readFile } from 'node:fs/promises';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
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
import { NODE_SUBGRAPH, createNodeDataSource, disableApolloTelemetry, withoutSecurityPurpose } from '@meridian/router';

const port = Number(process.env.PORT);
// Router tokens as the router makes them (ROUTER_SIGNING_KEYS, ROUTER_MAC_SECRETS): MACed when it has a MAC secret.
const { signingKeys, macSecrets } = await resolveRouterTokenKeys(readCommonConfig());
const sign = createRouterTokenSigner(signingKeys[0], { mac: macSecrets[0] });
const urls: Record<string, string> = { auth: process.env.AUTH_SUBGRAPH_URL!, users: process.env.USERS_SUBGRAPH_URL!, localization: process.env.LOCALIZATION_SUBGRAPH_URL!, catalog: process.env.CATALOG_SUBGRAPH_URL!, inventory: process.env.INVENTORY_SUBGRAPH_URL!, cart: process.env.CART_SUBGRAPH_URL!, orders: process.env.ORDERS_SUBGRAPH_URL!, notifications: process.env.NOTIFICATIONS_SUBGRAPH_URL!, payments: process.env.PAYMENTS_SUBGRAPH_URL! };

interface Context {
  caller?: VerifiedCaller;
}

const verifyAccessToken = createAccessTokenVerifier({ keys: remoteKeyResolver(process.env.AUTH_JWKS_URL!), issuer: 'urn:meridian:auth', audience: 'urn:meridian:api' });

disableApolloTelemetry();
const gateway = new ApolloGateway({
  supergraphSdl: withoutSecurityPurpose(await readFile(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8')),
  // The `node` subgraph has no server of its own: the router hosts it in process, and so does this arm.
  buildService: ({ name }) =>
    name === NODE_SUBGRAPH
      ? createNodeDataSource()
      : new RemoteGraphQLDataSource<Context>({
          url: urls[name],
          willSendRequest({ request, context }) {
            if (context.caller) request.http?.headers.set('authorization', `Bearer ${context.caller.accessToken}`);
            request.http?.headers.set(ROUTER_TOKEN_HEADER, sign({ subgraph: name, caller: context.caller, client: { ip: null, userAgent: null } }));
          },
        }),
});
const server = new ApolloServer<Context>({ gateway });
await startStandaloneServer(server, { listen: { port, host: '127.0.0.1' }, context: async ({ req }) => {
    const bearer = parseBearer(req.headers.authorization);
    if (bearer.kind !== 'token') return {};
    const check = await verifyAccessToken(bearer.token);
    if (!check.ok) throw new Error(`the access token is ${check.reason}`);
    return { caller: { accessToken: bearer.token, verified: check.token } };
  },
});
console.log(`stock gateway on ${port}`);
