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
import { Registry } from 'prom-client';
import {
  createAccessTokenVerifier,
  createRouterTokenSigner,
  errorReportingPlugin,
  executeGraphQL,
  graphqlMetricsPlugin,
  knownOperationLabels,
  jsonReply,
  createErrorMasker,
  PREFERENCES_PATH,
  REVOKED_SESSIONS_PATH,
  SHOP_SETTINGS_PATH,
  parseBearer,
  queryProtection,
  rejectedTokenReply,
  signedInUser,
  startHttpService,
  unavailableStatusPlugin,
  type VerifiedCaller,
  type CloseOptions,
  type ContextRequest,
  type CommonConfig,
  type HttpReply,
  type Logger,
  type RouterMacSecret,
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
import { explicitFromHeaders, localizationPlugin, resolveLocalization } from './localization.js';
import { createPreferencesSource } from './preferences.js';
import { createShopSettingsSource } from './shop-settings.js';
import { readRefreshCookie, refreshCookieOriginPlugin, withRefreshCookie } from './refresh-cookie.js';
import { NODE_SUBGRAPH, createNodeDataSource, withNodeSemantics } from './node-subgraph.js';
import { SubgraphDataSource } from './subgraph-data-source.js';
import { createSubgraphFetcher, subgraphCallLatency } from './subgraph-fetcher.js';
import { createSubgraphReplicas, type SubgraphReplicas } from './subgraph-replicas.js';
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
  /** Signs router tokens when there is no MAC secret; the newest key signs. */
  signingKeys: SigningKey[];
  /** When given, router tokens are MACed with the first, per subgraph, instead of signed (ROUTER_MAC_SECRETS). */
  macSecrets?: RouterMacSecret[];
  /** Keys that verify access tokens: the auth service's JWKS. */
  accessTokenKeys: JWTVerifyGetKey;
  /** The persisted query list (default: schema/persisted-query-manifest.json). */
  persistedQueryManifest?: PersistedQueryManifest;
}

export async function startRouter(options: RouterOptions): Promise<RunningHttpService> {
  const { common, config, logger } = options;
  const signRouterToken = createRouterTokenSigner(options.signingKeys[0], { mac: options.macSecrets?.[0] });
  const subgraphs = new Map<string, SubgraphReplicas>();
  const metrics = new Registry();
  const callLatency = subgraphCallLatency(metrics);

  disableApolloTelemetry();
  const gateway = new ApolloGateway({
    supergraphSdl: withoutSecurityPurpose(options.supergraphSdl),
    logger: logger.child({ component: 'gateway' }),
    buildService: ({ name, url }) => {
      if (name === NODE_SUBGRAPH) return createNodeDataSource();
      const urls = config.subgraphUrls[name] ?? (url ? [url] : []);
      if (urls.length === 0) throw new Error(`no URL for subgraph ${name}`);
      const replicas = createSubgraphReplicas({ subgraph: name, urls, ejectionMs: config.subgraphEjectionMs, ejectionMaxMs: config.subgraphEjectionMaxMs, log: logger });
      subgraphs.set(name, replicas);
      return new SubgraphDataSource(name, urls[0]!, signRouterToken, createSubgraphFetcher(replicas, { subgraph: name, latency: callLatency }));
    },
  });
  const protection = queryProtection<RouterContext>(common.queryLimits, common.production);
  const manifest = options.persistedQueryManifest ?? (await loadPersistedQueryManifest());
  const persistedQueries = createPersistedQueries(config.persistedQueries, manifest);
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
      // 503 with Retry-After when no root field could be served for a retryable reason.
      unavailableStatusPlugin<RouterContext>(),
      // Operations are labelled by name only if they are shipped ones: clients choose names freely.
      graphqlMetricsPlugin<RouterContext>(metrics, knownOperationLabels(manifest.operations.map((operation) => operation.name))),
      operationResolutionPlugin<RouterContext>(),
      refreshCookieOriginPlugin<RouterContext>(),
      localizationPlugin<RouterContext>({ shop: () => shopSettings.current(), forgetPreferences: (userId) => preferences.forget(userId) }),
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
    url: () => new URL(REVOKED_SESSIONS_PATH, subgraphs.get('auth')?.pick()).toString(),
    signRouterToken,
    refreshMs: config.sessionDenylistRefreshMs,
    log: logger,
  });
  await denylist.start();
  const shopSettings = createShopSettingsSource({
    url: () => (subgraphs.has('localization') ? new URL(SHOP_SETTINGS_PATH, subgraphs.get('localization')!.pick()).toString() : null),
    signRouterToken,
    refreshMs: config.shopSettingsRefreshMs,
    log: logger,
  });
  await shopSettings.start();
  const preferences = createPreferencesSource({
    url: () => (subgraphs.has('users') ? new URL(PREFERENCES_PATH, subgraphs.get('users')!.pick()).toString() : null),
    signRouterToken,
    ttlMs: config.preferencesTtlMs,
    log: logger,
  });

  const verifyAccessToken = createAccessTokenVerifier({
    keys: options.accessTokenKeys,
    issuer: common.tokenIssuer,
    audience: common.tokenAudience,
  });

  /** Per subgraph, whether at least one of its replicas is ready (and every replica's readiness applied to its ejection). */
  async function subgraphsReady(): Promise<Record<string, boolean>> {
    return Object.fromEntries(await Promise.all([...subgraphs].map(async ([name, replicas]) => [name, await replicas.probe()] as const)));
  }

  async function handleGraphQL(req: IncomingMessage, body: unknown, search: string, clientGone: AbortSignal): Promise<HttpReply> {
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
    let caller: VerifiedCaller | undefined;
    if (bearer.kind === 'token') {
      const check = await verifyAccessToken(bearer.token);
      if (!check.ok) return reject(check.reason);
      if (denylist.has(check.token.viewer.sessionId)) return reject('ended');
      caller = { accessToken: bearer.token, verified: check.token };
    }
    const viewer: Viewer | null = caller?.verified.viewer ?? null;
    // A service identity has no profile to read preferences from.
    const user = signedInUser(viewer);
    const localizationRequest: ContextRequest = {
      explicit: explicitFromHeaders(req.headers),
      profile: user ? await preferences.get(user.userId) : null,
      acceptLanguage: req.headers['accept-language'] ?? null,
    };
    const context: RouterContext = {
      requestId,
      caller,
      viewer,
      client: clientInfo(req, config.trustProxyHops),
      refreshCookie: readRefreshCookie(req, config.corsOrigins),
      localizationRequest,
      localization: resolveLocalization(localizationRequest, shopSettings.current()),
      signal: clientGone,
      log: logger.child({ requestId }),
    };
    const reply = await executeGraphQL(server, req, prepared.body, prepared.search, async () => context, [idHeader]);
    return withRefreshCookie(reply, context.refreshCookie);
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
    service: 'router',
    metrics: { registry: metrics, token: common.metricsToken, production: common.production },
    // Clients are not trusted with trace context: each of their requests starts its own trace.
    acceptTraceContext: false,
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
      shopSettings.stop();
      await http.close(options);
      await server.stop();
      await Promise.all([...subgraphs.values()].map((replicas) => replicas.close()));
    },
  };
}
export { withoutSecurityPurpose } from './supergraph.js';
export { NODE_SUBGRAPH, createNodeDataSource, withNodeSemantics } from './node-subgraph.js';
