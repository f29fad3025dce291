// A stock @apollo/gateway, set up as its documentation shows (ApolloServer + startStandaloneServer,
// RemoteGraphQLDataSource with willSendRequest), on the same supergraph and subgraphs as the router.
// It adds what any gateway in front of Meridian's subgraphs must: the caller's token and a router token.
import { readFile } from 'node:fs/promises';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ROUTER_TOKEN_HEADER, createRouterTokenSigner, importSigningKeys } from '@meridian/platform';
import { NODE_SUBGRAPH, createNodeDataSource, disableApolloTelemetry, withoutSecurityPurpose } from '@meridian/router';

const port = Number(process.env.PORT);
const [key] = await importSigningKeys(JSON.parse(process.env.ROUTER_SIGNING_KEYS ?? '[]'), 'ROUTER_SIGNING_KEYS');
const sign = createRouterTokenSigner(key!);
const urls: Record<string, string> = { auth: process.env.AUTH_SUBGRAPH_URL!, users: process.env.USERS_SUBGRAPH_URL!, localization: process.env.LOCALIZATION_SUBGRAPH_URL!, catalog: process.env.CATALOG_SUBGRAPH_URL!, inventory: process.env.INVENTORY_SUBGRAPH_URL!, cart: process.env.CART_SUBGRAPH_URL!, orders: process.env.ORDERS_SUBGRAPH_URL!, notifications: process.env.NOTIFICATIONS_SUBGRAPH_URL!, payments: process.env.PAYMENTS_SUBGRAPH_URL! };

interface Context {
  authorization?: string;
}

disableApolloTelemetry();
const gateway = new ApolloGateway({
  supergraphSdl: withoutSecurityPurpose(await readFile(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8')),
  // The `node` subgraph has no server of its own: the router hosts it in process, and so does this arm.
  buildService: ({ name }) =>
    name === NODE_SUBGRAPH
      ? createNodeDataSource()
      : new RemoteGraphQLDataSource<Context>({
          url: urls[name],
          async willSendRequest({ request, context }) {
            const accessToken = context.authorization?.replace(/^Bearer /i, '');
            if (context.authorization) request.http?.headers.set('authorization', context.authorization);
            request.http?.headers.set(ROUTER_TOKEN_HEADER, await sign({ subgraph: name, accessToken, client: { ip: null, userAgent: null } }));
          },
        }),
});
const server = new ApolloServer<Context>({ gateway });
await startStandaloneServer(server, { listen: { port, host: '127.0.0.1' }, context: async ({ req }) => ({ authorization: req.headers.authorization }) });
console.log(`stock gateway on ${port}`);
