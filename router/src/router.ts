import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { JWTVerifyGetKey } from 'jose';
import {
  createAccessTokenVerifier,
  createRouterTokenSigner,
  errorReportingPlugin,
  executeGraphQL,
  jsonReply,
  createErrorMasker,
  REVOKED_SESSIONS_PATH,
  parseBearer,
  queryProtection,
  rejectedTokenReply,
  startHttpService,
  type CloseOptions,
  type CommonConfig,
  type HttpReply,
  type Logger,
  type RunningHttpService,
  type SigningKey,
  type Viewer,
} from '@meridian/platform';
import { loadPersistedQueryManifest, type PersistedQueryManifest } from '@meridian/schema';
import { NOT_CACHEABLE, cacheControlPlugin } from './cache-control.js';
import { clientInfo } from './client-info.js';
import type { RouterConfig } from './config.js';
import type { RouterContext } from './context.js';
import { disableApolloTelemetry } from './apollo-telemetry.js';
import { createCorsHeaders } from './cors.js';
import { createJwksProxy } from './jwks-proxy.js';
import { operationResolutionPlugin } from './operation-resolution.js';
import { createPersistedQueries } from './persisted-queries.js';
import { NODE_SUBGRAPH, createNodeDataSource, withNodeSemantics } from './node-subgraph.js';
import { SubgraphDataSource } from './subgraph-data-source.js';
import { createSubgraphFetcher } from './subgraph-fetcher.js';
import { createSessionDenylist } from './session-denylist.js';
import { withoutSecurityPurpose } from './supergraph.js';

export { readRouterConfig, type RouterConfig } from './config.js';
export { APOLLO_TELEMETRY_OFF_ENV, disableApolloTelemetry } from './apollo-telemetry.js';
export { isOriginAllowed } from './cors.js';

export interface RouterOptions {
  common: CommonConfig;
  config: RouterConfig;
  logger: Logger;
  supergraphSdl: string;
  /** Signs router tokens; the newest key signs. */
  signingKeys: SigningKey[];
  /** Keys that verify access tokens: the auth service's JWKS. */
  accessTokenKeys: JWTVerifyGetKey;
  /** The persisted query list (default: schema/persisted-query-manifest.json). */
  persistedQueryManifest?: PersistedQueryManifest;
}

export async function startRouter(options: RouterOptions): Promise<RunningHttpService> {
  const { common, config, logger } = options;
  const [signingKey] = options.signingKeys;
  if (!signingKey) throw new Error('the router needs a signing key');
  const signRouterToken = createRouterTokenSigner(signingKey);
  const subgraphUrls = new Map<string, string>();
  const fetchers: ReturnType<typeof createSubgraphFetcher>[] = [];

  disableApolloTelemetry();
  const gateway = new ApolloGateway({
    supergraphSdl: withoutSecurityPurpose(options.supergraphSdl),
    logger: logger.child({ component: 'gateway' }),
    buildService: ({ name, url }) => {
      if (name === NODE_SUBGRAPH) return createNodeDataSource();
      const target = config.subgraphUrls[name] ?? url;
      if (!target) throw new Error(`no URL for subgraph ${name}`);
      subgraphUrls.set(name, target);
      const subgraphFetcher = createSubgraphFetcher(target);
      fetchers.push(subgraphFetcher);
      return new SubgraphDataSource(name, target, signRouterToken, subgraphFetcher.fetcher);
    },
  });
  const protection = queryProtection<RouterContext>(common.queryLimits, common.production);
  const persistedQueries = createPersistedQueries(config.persistedQueries, options.persistedQueryManifest ?? (await loadPersistedQueryManifest()));
  const server = new ApolloServer<RouterContext>({
    gateway: withNodeSemantics(gateway),
    introspection: !common.production,
    hideSchemaDetailsFromClientErrors: common.production,
    validationRules: protection.validationRules,
    parseOptions: protection.parseOptions,
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours (closeOnSignal): Apollo's own handler would stop the server and re-raise the signal.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    persistedQueries: persistedQueries.apolloOption,
    formatError: createErrorMasker({ production: common.production }),
    plugins: [
      ...protection.plugins,
      errorReportingPlugin<RouterContext>(),
      operationResolutionPlugin<RouterContext>(),
      // Apollo's cache-control plugin hooks every field to read hints the supergraph does not carry; the
      // subgraphs compute their policy, and the gateway merges their Cache-Control headers.
      ApolloServerPluginCacheControlDisabled(),
      cacheControlPlugin<RouterContext>(),
      // Apollo Server would report usage (APOLLO_KEY, APOLLO_GRAPH_REF) and schemas (APOLLO_SCHEMA_REPORTING) to Apollo on its own.
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ...(common.production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await server.start();
  const denylist = createSessionDenylist({
    url: () => new URL(REVOKED_SESSIONS_PATH, subgraphUrls.get('auth')).toString(),
    signRouterToken,
    refreshMs: config.sessionDenylistRefreshMs,
    log: logger,
  });
  await denylist.start();

  const verifyAccessToken = createAccessTokenVerifier({
    keys: options.accessTokenKeys,
    issuer: common.tokenIssuer,
    audience: common.tokenAudience,
  });

  async function subgraphsReady(): Promise<Record<string, boolean>> {
    const entries = await Promise.all(
      [...subgraphUrls].map(async ([name, url]) => {
        try {
          const response = await fetch(new URL('/ready', url), { signal: AbortSignal.timeout(2_000) });
          return [name, response.ok] as const;
        } catch {
          return [name, false] as const;
        }
      }),
    );
    return Object.fromEntries(entries);
  }

  async function handleGraphQL(req: IncomingMessage, body: unknown, search: string): Promise<HttpReply> {
    const requestId = randomUUID();
    const idHeader: [string, string] = ['x-request-id', requestId];
    const reject = (reason: Parameters<typeof rejectedTokenReply>[0]): HttpReply => {
      const reply = rejectedTokenReply(reason);
      return { ...reply, headers: [...reply.headers, idHeader] };
    };
    const prepared = await persistedQueries.prepare(req.method ?? 'GET', body, search);
    if ('refused' in prepared) return { ...prepared.refused, headers: [...prepared.refused.headers, idHeader] };
    const bearer = parseBearer(req.headers.authorization);
    if (bearer.kind === 'malformed') return reject('malformed');
    let viewer: Viewer | null = null;
    const accessToken = bearer.kind === 'token' ? bearer.token : undefined;
    if (accessToken !== undefined) {
      const check = await verifyAccessToken(accessToken);
      if (!check.ok) return reject(check.reason);
      if (denylist.has(check.token.viewer.sessionId)) return reject('ended');
      viewer = check.token.viewer;
    }
    const context: RouterContext = {
      requestId,
      accessToken,
      viewer,
      client: clientInfo(req, config.trustProxyHops),
      log: logger.child({ requestId }),
    };
    return executeGraphQL(server, req, prepared.body, prepared.search, async () => context, [idHeader]);
  }

  const corsHeaders = createCorsHeaders(config.corsOrigins);
  const jwks = createJwksProxy(config.authJwksUrl);
  const http = await startHttpService({
    logger,
    host: common.host,
    port: config.port,
    maxBodyBytes: common.maxBodyBytes,
    shutdownTimeoutMs: common.shutdownTimeoutMs,
    graphql: handleGraphQL,
    beforeGraphQL: (req, res) => {
      res.setHeader('cache-control', NOT_CACHEABLE);
      return corsHeaders(req, res);
    },
    routes: {
      '/health': () => jsonReply(200, { status: 'ok' }),
      '/ready': async () => {
        const subgraphs = await subgraphsReady();
        const ready = Object.values(subgraphs).every(Boolean);
        return jsonReply(ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', subgraphs });
      },
      '/.well-known/jwks.json': async () => {
        const keySet = await jwks.get();
        return keySet
          ? jsonReply(200, keySet, [['cache-control', 'public, max-age=300']])
          : jsonReply(503, { error: 'The key set is unavailable' });
      },
    },
  });
  logger.info({ url: `${http.url}/graphql` }, 'router listening');
  return {
    ...http,
    close: async (options: CloseOptions = {}) => {
      denylist.stop();
      await http.close(options);
      await server.stop();
      await Promise.all(fetchers.map((subgraphFetcher) => subgraphFetcher.close()));
    },
  };
}
export { withoutSecurityPurpose } from './supergraph.js';
export { NODE_SUBGRAPH, createNodeDataSource, withNodeSemantics } from './node-subgraph.js';
