import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT, type JWK } from 'jose';
import postgres, { type Sql } from 'postgres';
import {
  ACCESS_TOKEN_TYPE,
  ROUTER_TOKEN_HEADER,
  createAccessTokenVerifier,
  createRouterTokenSigner,
  generateRouterMacSecret,
  generateSigningJwk,
  importSigningKeys,
  localKeyResolver,
  publicKeySet,
  type RouterCall,
  type VerifiedCaller,
  type SigningKey,
} from '@meridian/platform';
import { rateLimitsEnv } from '@meridian/auth';
import { loadOperationsDocument, operationText } from '@meridian/schema';
import { startGraph, type RunningGraph } from '../../scripts/graph.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { startMailbox, type Mailbox } from './mailbox.js';

export const ISSUER = 'urn:meridian:auth';
export const AUDIENCE = 'urn:meridian:api';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  /** The answer without `extensions.context`, which every answer of the router carries (see `context`). */
  body: { data?: T | null; errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[]; extensions?: Record<string, unknown> };
  /** The locale and currency the router answered in (`extensions.context`). */
  context?: { locale: string; currency: string };
  text: string;
}

const operations = loadOperationsDocument();

/** The text of a client operation from schema/operations. */
export const op = (name: string) => operationText(operations, name);

export interface TestGraph extends RunningGraph {
  database: TestDatabase;
  /** The SMTP server the graph sends its mail to. */
  mailbox: Mailbox;
  /** DATA_DIR of the graph (mail is written there when SMTP_URL is empty). */
  dataDir: string;
  /** A direct connection to the test database, for assertions on what was (not) written. */
  sql: Sql;
  authKeys: SigningKey[];
  authJwks: JWK[];
  routerKeys: SigningKey[];
  /** How many rows a table holds, e.g. `count('auth.users')`. */
  count(table: `${'auth' | 'users'}.${string}`): Promise<number>;
  /** Sends a GraphQL request through the router. */
  request<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, options?: RequestOptions): Promise<GraphQLResponse<T>>;
  /** Sends a GraphQL request straight to a subgraph, optionally with a router token. */
  requestSubgraph<T = Record<string, unknown>>(
    subgraph: 'auth' | 'users' | 'catalog' | 'inventory' | 'cart',
    query: string,
    variables?: Record<string, unknown>,
    options?: RequestOptions & { routerToken?: string | 'sign' },
  ): Promise<GraphQLResponse<T>>;
  /**
   * A router token for a direct subgraph call, as the router would sign it: for `token`, only once it
   * has verified it (an unverifiable token gets a token vouching for nobody, which no subgraph accepts with a bearer).
   */
  signRouterToken(subgraph: string, token: string | undefined, call?: Partial<Pick<RouterCall, 'client' | 'refreshCookie' | 'localization'>>): Promise<string>;
  /** The caller as the router verifies `token` at its edge (throws for a token it would refuse). */
  verifiedCaller(token: string): Promise<VerifiedCaller>;
  /** An access token signed with the graph's own key (for users that exist only in the users service). */
  mintAccessToken(claims: { userId: string; sessionId?: string; roles?: string[] }): Promise<string>;
  stop(): Promise<void>;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
}

async function post<T>(url: string, query: string, variables: Record<string, unknown> | undefined, headers: Record<string, string>): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: GraphQLResponse<T>['body'];
  try {
    body = JSON.parse(text) as GraphQLResponse<T>['body'];
  } catch {
    body = {};
  }
  // Kept apart so that a test can compare whole answers; the localization tests read it from `context`.
  const { context, ...otherExtensions } = (body.extensions ?? {}) as { context?: GraphQLResponse<T>['context'] } & Record<string, unknown>;
  if (body.extensions) {
    const { extensions: _all, ...withoutExtensions } = body;
    body = Object.keys(otherExtensions).length > 0 ? { ...withoutExtensions, extensions: otherExtensions } : withoutExtensions;
  }
  return { status: response.status, headers: response.headers, body, ...(context ? { context } : {}), text };
}

/**
 * Rate limits generous enough for fixtures that sign up many users from one address; the tests of
 * the limits themselves start a graph with the defaults.
 */
export const RELAXED_RATE_LIMITS: Record<string, string> = rateLimitsEnv('100000/60');

/**
 * The whole graph on a fresh database of the local PostgreSQL, on ephemeral ports, with keys the
 * test knows and a real SMTP server receiving its mail. Everything it starts is stopped and
 * dropped by `stop()`.
 */
export async function startTestGraph(
  options: {
    onStatement?: (statement: string) => void;
    env?: Record<string, string>;
    rateLimits?: 'relaxed' | 'defaults';
    /** Another graph's database (it stays when this graph stops), e.g. to restart with rotated keys. */
    database?: TestDatabase;
    /** Private auth signing keys, newest first (default: one fresh key). */
    authJwks?: JWK[];
    /**
     * The roles of the token the cart service reads exact stock levels with (minted here, standing in for
     * the token its client credentials would get); without, the cart knows only whether a variant is in stock.
     */
    cartServiceRoles?: string[];
  } = {},
): Promise<TestGraph> {
  const database = options.database ?? (await createTestDatabase());
  const mailbox = await startMailbox();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'meridian-test-'));
  const authJwks = options.authJwks ?? [await generateSigningJwk()];
  const routerJwks = [await generateSigningJwk()];
  const authKeys = await importSigningKeys(authJwks, 'test');
  const routerKeys = await importSigningKeys(routerJwks, 'test');
  const mint = ({ userId, sessionId, roles }: { userId: string; sessionId?: string; roles?: string[] }) =>
    new SignJWT({ sid: sessionId ?? crypto.randomUUID(), roles: roles ?? ['customer'] })
      .setProtectedHeader({ alg: 'EdDSA', kid: authKeys[0]!.kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(userId)
      .setJti(crypto.randomUUID())
      .setIssuedAt()
      .setExpirationTime('15m')
      .sign(authKeys[0]!.privateKey);
  const cartRoles = options.cartServiceRoles;
  const cartServiceToken = cartRoles ? Object.assign(() => mint({ userId: crypto.randomUUID(), roles: cartRoles }), { forget: () => {} }) : undefined;
  const graph = await startGraph({
    ephemeralPorts: true,
    ...(options.onStatement ? { onStatement: options.onStatement } : {}),
    ...(cartServiceToken ? { cartServiceToken } : {}),
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DATABASE_URL: database.url,
      DATABASE_POOL_MAX: '5',
      // Two test files run at once on two cores: a burst of requests can wait for one of the 5
      // connections longer than the production default (2 s). Tests of the limit set their own.
      DATABASE_ACQUIRE_TIMEOUT_MS: '15000',
      DATA_DIR: dataDir,
      AUTH_SIGNING_KEYS: JSON.stringify(authJwks),
      ROUTER_SIGNING_KEYS: JSON.stringify(routerJwks),
      // The router MACs its tokens, as `pnpm start` does; the subgraphs derive their keys from the same secret.
      ROUTER_MAC_SECRETS: JSON.stringify([generateRouterMacSecret()]),
      SMTP_URL: mailbox.url,
      OUTBOX_POLL_MS: '200',
      SESSION_DENYLIST_REFRESH_MS: '200',
      SHOP_SETTINGS_REFRESH_MS: '200',
      CATALOG_AVAILABILITY_POLL_MS: '200',
      PUBLIC_BASE_URL: 'https://shop.example',
      ...(options.rateLimits === 'defaults' ? {} : RELAXED_RATE_LIMITS),
      ...options.env,
    },
  });
  const sql = postgres(database.url, { max: 2, onnotice: () => {} });
  const [routerKey] = routerKeys;
  const signer = createRouterTokenSigner(routerKey!);
  const verifyAccessToken = createAccessTokenVerifier({ keys: localKeyResolver(publicKeySet(authKeys)), issuer: ISSUER, audience: AUDIENCE, cacheSize: 0 });
  const callerOf = async (token: string): Promise<VerifiedCaller | undefined> => {
    const check = await verifyAccessToken(token);
    return check.ok ? { accessToken: token, verified: check.token } : undefined;
  };
  const signRouterToken: TestGraph['signRouterToken'] = async (subgraph, token, call = {}) => {
    return signer({
      subgraph,
      caller: token === undefined ? undefined : await callerOf(token),
      client: call.client ?? { userAgent: 'vitest', ip: '127.0.0.1' },
      ...(call.refreshCookie === undefined ? {} : { refreshCookie: call.refreshCookie }),
      ...(call.localization === undefined ? {} : { localization: call.localization }),
    });
  };

  const headersFor = (options: RequestOptions = {}) => ({
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...options.headers,
  });

  return {
    ...graph,
    database,
    mailbox,
    dataDir,
    sql,
    authKeys,
    authJwks,
    routerKeys,
    count: async (table) => {
      const [row] = await sql.unsafe<{ count: number }[]>(`select count(*)::int as count from ${table}`);
      return row?.count ?? 0;
    },
    request: (query, variables, options) => post(graph.routerUrl, query, variables, headersFor(options)),
    requestSubgraph: async (subgraph, query, variables, options = {}) => {
      const headers: Record<string, string> = headersFor(options);
      if (options.routerToken === 'sign') {
        headers[ROUTER_TOKEN_HEADER] = await signRouterToken(subgraph, options.token);
      } else if (options.routerToken) {
        headers[ROUTER_TOKEN_HEADER] = options.routerToken;
      }
      return post(graph.subgraphUrls[subgraph], query, variables, headers);
    },
    signRouterToken,
    verifiedCaller: async (token) => {
      const caller = await callerOf(token);
      if (!caller) throw new Error('the router would refuse this access token');
      return caller;
    },
    mintAccessToken: (claims) => mint(claims),
    stop: async () => {
      await graph.close();
      await mailbox.close();
      await sql.end();
      if (!options.database) await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
