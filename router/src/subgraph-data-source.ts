import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { REQUEST_ID_HEADER, ROUTER_TOKEN_HEADER, type RouterTokenSigner } from '@meridian/platform';
import type { RouterContext } from './context.js';

/**
 * Calls one subgraph. Nothing from the client's request is forwarded except the verified access
 * token; every call carries a fresh router token addressed to this subgraph.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly signRouterToken: RouterTokenSigner,
    fetcher: Fetcher,
  ) {
    super({ url, fetcher });
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<RouterContext>): Promise<void> {
    const headers = options.request.http?.headers;
    if (!headers) return;
    const context = options.context as Partial<RouterContext>;
    if (context.requestId === undefined) return;
    headers.set(
      ROUTER_TOKEN_HEADER,
      await this.signRouterToken({ subgraph: this.subgraph, accessToken: context.accessToken, client: context.client ?? { userAgent: null, ip: null } }),
    );
    headers.set(REQUEST_ID_HEADER, context.requestId);
    if (context.accessToken !== undefined) headers.set('authorization', `Bearer ${context.accessToken}`);
  }
}
