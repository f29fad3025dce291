import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { getOperationAST, OperationTypeNode, parse, type DocumentNode } from 'graphql';
import {
  REFRESH_COOKIE_HEADER,
  REFRESH_COOKIE_UPDATE_HEADER,
  REQUEST_ID_HEADER,
  ROUTER_TOKEN_HEADER,
  parseRefreshCookieUpdate,
  type RouterTokenSigner,
} from '@meridian/platform';
import type { RouterContext } from './context.js';
import { REFRESH_COOKIE_SUBGRAPH } from './refresh-cookie.js';
import type { SubgraphFetcher } from './subgraph-fetcher.js';

type ReceivedResponse = Parameters<NonNullable<RemoteGraphQLDataSource<RouterContext>['didReceiveResponse']>>[0];
type ProcessOptions = GraphQLDataSourceProcessOptions<RouterContext>;

/** The type of the operation a fetch sends: from the document the gateway planned, or its text parsed. */
function operationTypeOf(options: ProcessOptions): OperationTypeNode | undefined {
  let document: DocumentNode | undefined = 'document' in options ? options.document : undefined;
  if (!document && options.request.query) {
    try {
      document = parse(options.request.query);
    } catch {
      return undefined;
    }
  }
  return document ? getOperationAST(document, options.request.operationName)?.operation : undefined;
}

/**
 * Calls one subgraph. Nothing from the client's request is forwarded except the verified access
 * token, and to the auth service the refresh cookie (bound into the router token); every call carries
 * a fresh router token addressed to this subgraph. Of the answers, only the auth service's may update
 * the refresh cookie.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly signRouterToken: RouterTokenSigner,
    private readonly subgraphFetcher: SubgraphFetcher,
  ) {
    // Calls go through `process`; a fetcher used without it treats its call as one never to share.
    super({ url, fetcher: (fetchUrl, init) => subgraphFetcher(fetchUrl, init, { operation: OperationTypeNode.MUTATION }) });
  }

  override process(options: ProcessOptions): ReturnType<RemoteGraphQLDataSource<RouterContext>['process']> {
    // RemoteGraphQLDataSource calls `this.fetcher(url, init)` and hands it neither the operation nor a
    // signal: the call runs on a view of this data source whose fetcher carries both.
    const call = { operation: operationTypeOf(options) };
    const signal = (options.context as Partial<RouterContext>).signal;
    const view = Object.create(this) as SubgraphDataSource;
    view.fetcher = (fetchUrl, init) => this.subgraphFetcher(fetchUrl, signal ? { ...init, signal } : init, call);
    return super.process.call(view, options);
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<RouterContext>): void {
    const headers = options.request.http?.headers;
    if (!headers) return;
    const context = options.context as Partial<RouterContext>;
    if (context.requestId === undefined) return;
    const refreshCookie = this.subgraph === REFRESH_COOKIE_SUBGRAPH ? context.refreshCookie?.relayed : undefined;
    headers.set(
      ROUTER_TOKEN_HEADER,
      this.signRouterToken({
        subgraph: this.subgraph,
        caller: context.caller,
        client: context.client ?? { userAgent: null, ip: null },
        ...(context.localization ? { localization: context.localization } : {}),
        ...(refreshCookie !== undefined ? { refreshCookie } : {}),
      }),
    );
    if (refreshCookie !== undefined) headers.set(REFRESH_COOKIE_HEADER, refreshCookie);
    headers.set(REQUEST_ID_HEADER, context.requestId);
    if (context.caller !== undefined) headers.set('authorization', `Bearer ${context.caller.accessToken}`);
  }

  override async didReceiveResponse({ response, context }: ReceivedResponse): Promise<ReceivedResponse['response']> {
    const exchange = (context as Partial<RouterContext>).refreshCookie;
    if (this.subgraph === REFRESH_COOKIE_SUBGRAPH && exchange) {
      const update = parseRefreshCookieUpdate(response.http?.headers.get(REFRESH_COOKIE_UPDATE_HEADER));
      // Mutations run one after another: the last update of the request wins.
      if (update) exchange.update = update;
    }
    return response;
  }
}
