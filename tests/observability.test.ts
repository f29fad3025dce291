import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrateDatabase } from '@meridian/db';
import { startTracing, type Tracing } from '@meridian/platform';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';
import { SPAN_KIND, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';
import { sampleValue, scrape } from './support/prometheus.js';
import { registerUser, sampleAddress } from './support/seed.js';
import { createServiceRoles, postGraphQL, startServices, type RunningServices, type ServiceRoles } from './support/service-processes.js';

// Issue 9: traces from the router through the subgraphs to each SQL statement, and /metrics on every process.

const otlpEnv = (receiver: OtlpReceiver) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  OTEL_BSP_SCHEDULE_DELAY: '100',
});

/** The span ids from `span` up to its trace's root. */
function ancestry(span: ReceivedSpan, spans: ReceivedSpan[]): string[] {
  const byId = new Map(spans.map((candidate) => [candidate.spanId, candidate]));
  const chain: string[] = [];
  for (let current: ReceivedSpan | undefined = span; current; current = current.parentSpanId ? byId.get(current.parentSpanId) : undefined) chain.push(current.spanId);
  return chain;
}

/**
 * One `Me` request's trace: the router's span, its call to each subgraph, each subgraph's span (a
 * child of that call) and its SQL statements (descendants of the subgraph's span), all in one trace.
 */
async function expectMeTrace(receiver: OtlpReceiver, ports: { auth: number; users: number }, userAgent: string, secrets: string[]): Promise<ReceivedSpan[]> {
  // The request is told apart from earlier ones (whose spans may still be arriving) by its user agent.
  const router = await receiver.waitFor(
    (spans) => spans.find((span) => span.service === 'meridian-router' && span.kind === SPAN_KIND.server && span.attributes['user_agent.original'] === userAgent),
    "the router's span of Me",
  );
  expect(router.attributes['graphql.operation.name']).toBe('Me');
  expect(router).toMatchObject({ name: 'POST /graphql', parentSpanId: undefined, attributes: { 'graphql.operation.type': 'query' } });
  const sqlOf = (service: string, spans: ReceivedSpan[]) => spans.filter((span) => span.service === service && span.attributes['db.system.name'] === 'postgresql' && span.attributes['db.query.text']);
  const trace = await receiver.waitFor((spans) => {
    const inTrace = spans.filter((span) => span.traceId === router.traceId);
    return sqlOf('meridian-auth', inTrace).length > 0 && sqlOf('meridian-users', inTrace).length > 0 ? inTrace : undefined;
  }, `the SQL spans of both subgraphs in trace ${router.traceId}`);
  for (const [subgraph, port] of [
    ['auth', ports.auth],
    ['users', ports.users],
  ] as const) {
    const served = trace.filter((span) => span.service === `meridian-${subgraph}` && span.kind === SPAN_KIND.server);
    expect(served.length, `spans of ${subgraph}'s requests`).toBeGreaterThan(0);
    for (const request of served) {
      // The router's call (undici), inside the router's request (and @apollo/gateway's own spans: gateway.fetch).
      const call = trace.find((span) => span.spanId === request.parentSpanId);
      expect(call, `the router's call to ${subgraph}`).toMatchObject({ service: 'meridian-router', kind: SPAN_KIND.client });
      expect(call!.attributes['server.port']).toBe(port);
      expect(ancestry(call!, trace)).toContain(router.spanId);
    }
    for (const statement of sqlOf(`meridian-${subgraph}`, trace)) {
      expect(served.map((request) => request.spanId)).toContain(ancestry(statement, trace).find((id) => served.some((request) => request.spanId === id)));
      expect(statement.attributes['db.query.text']).toMatch(/^(select|insert|update|delete|with|begin)/i);
    }
  }
  // Statements carry placeholders, never their bound values (ids, e-mails, tokens are personal data).
  const exported = JSON.stringify(trace);
  for (const secret of secrets) expect(exported, JSON.stringify(trace.filter((span) => JSON.stringify(span).includes(secret)).map((span) => ({ name: span.name, service: span.service, attributes: span.attributes })))).not.toContain(secret);
  return trace;
}

describe('each service as its own process, with OTEL_* set', () => {
  const metricsToken = randomBytes(24).toString('base64url');
  let receiver: OtlpReceiver;
  let database: TestDatabase;
  let mailbox: Mailbox;
  let roles: ServiceRoles;
  let services: RunningServices;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    database = await createTestDatabase();
    mailbox = await startMailbox();
    await migrateDatabase(database.url);
    roles = await createServiceRoles(database);
    const otel = otlpEnv(receiver);
    services = await startServices({
      databaseUrls: { auth: roles.urlFor('auth'), users: roles.urlFor('users'), localization: roles.urlFor('localization'), catalog: roles.urlFor('catalog'), inventory: roles.urlFor('inventory'), cart: roles.urlFor('cart'), orders: roles.urlFor('orders'), notifications: roles.urlFor('notifications'), payments: roles.urlFor('payments') },
      smtpUrl: mailbox.url,
      env: { auth: otel, users: otel, router: { ...otel, METRICS_TOKEN: metricsToken } },
    });
  });

  afterAll(async () => {
    await services?.stopAll();
    await database?.drop();
    await mailbox?.close();
    await roles?.drop();
    await receiver?.close();
  });

  it('exports one trace per request: the router, a span per subgraph call, each SQL statement without its values', async () => {
    const email = 'traced@example.com';
    const registered = await postGraphQL(services.routerUrl, op('Register'), { input: { email, password: 'seven silent observers', displayName: 'Traced' } });
    expect(registered.data?.register?.__typename, JSON.stringify(registered)).toBe('VerificationEmailSent');
    const mail = await mailbox.waitFor((received) => received.to === email);
    const verified = await postGraphQL(services.routerUrl, op('VerifyEmail'), { token: mail.token });
    const session = verified.data?.verifyEmail as { accessToken: string; user: { id: string } };
    await eventually(async () => {
      const me = await postGraphQL(services.routerUrl, op('Me'), {}, session.accessToken);
      expect(me.data?.me).toMatchObject({ profile: { displayName: 'Traced' } });
    });

    // A client's trace context is not continued: the router starts a trace of its own.
    const clientTraceId = '0af7651916cd43dd8448eb211c80319c';
    const userAgent = `observability-test-${randomBytes(4).toString('hex')}`;
    const response = await fetch(services.routerUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': userAgent,
        authorization: `Bearer ${session.accessToken}`,
        traceparent: `00-${clientTraceId}-b7ad6b7169203331-01`,
        tracestate: 'vendor=client',
      },
      body: JSON.stringify({ query: op('Me') }),
    });
    expect(response.status).toBe(200);
    const trace = await expectMeTrace(receiver, services.ports, userAgent, [email, session.user.id, session.accessToken, mail.token!]);
    expect(new Set(trace.map((span) => span.traceId)).size).toBe(1);
    expect(receiver.spans.some((span) => span.traceId === clientTraceId)).toBe(false);
    expect(JSON.stringify(trace)).not.toContain('vendor=client');
    // The default resource detectors only: no cloud attributes.
    expect(Object.keys(trace[0]!.resource).filter((key) => /^(cloud|faas|k8s|container)\./.test(key))).toEqual([]);
  });

  it('serves /metrics in production only with METRICS_TOKEN, as a bearer token', async () => {
    const routerMetrics = `http://127.0.0.1:${services.ports.router}/metrics`;
    const refused = await fetch(routerMetrics);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect((await fetch(routerMetrics, { headers: { authorization: `Bearer ${metricsToken.slice(1)}` } })).status).toBe(401);
    const samples = await scrape(routerMetrics, metricsToken);
    expect(sampleValue(samples, 'meridian_graphql_requests_total', { operation: 'Me', type: 'query', result: 'ok' })).toBeGreaterThanOrEqual(1);
    // The auth process has no token: in production it serves no metrics at all.
    expect((await fetch(`http://127.0.0.1:${services.ports.auth}/metrics`)).status).toBe(404);
  });
});

describe('the whole graph in one process (pnpm start)', () => {
  let receiver: OtlpReceiver;
  let tracing: Tracing;
  let graph: TestGraph;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    for (const [name, value] of Object.entries(otlpEnv(receiver))) vi.stubEnv(name, value);
    tracing = await startTracing({ serviceName: 'meridian' });
    graph = await startTestGraph({ env: { LOCKOUT_THRESHOLD: '3', RATE_LIMIT_LOGIN_IDENTIFIER: '5/60', PASSWORD_HASH_CONCURRENCY: '1' } });
  });

  afterAll(async () => {
    await graph?.stop();
    await tracing?.shutdown();
    await receiver?.close();
    vi.unstubAllEnvs();
  });

  const metricsOf = (url: string) => scrape(`${new URL(url).origin}/metrics`);

  it('reports each span under its own service, linked as between separate processes', async () => {
    expect(tracing.enabled).toBe(true);
    const user = await registerUser(graph, { displayName: 'One Process' });
    const userAgent = `observability-test-${randomBytes(4).toString('hex')}`;
    const me = await graph.request(op('Me'), {}, { token: user.accessToken, headers: { 'user-agent': userAgent } });
    expect(me.body.errors).toBeUndefined();
    const ports = { auth: Number(new URL(graph.subgraphUrls.auth).port), users: Number(new URL(graph.subgraphUrls.users).port) };
    await expectMeTrace(receiver, ports, userAgent, [user.email, user.id, user.accessToken]);
  });

  it('counts requests, errors and latency per operation, subgraph calls, the pool, argon2, the outbox, refusals and lockouts', async () => {
    const user = await registerUser(graph);
    await graph.request(op('Me'), {}, { token: user.accessToken });
    await graph.request(op('AddAddress'), { input: sampleAddress }, { token: user.accessToken });
    await graph.request('query NobodyShippedThis { __typename }');
    await graph.request('{ nothingHere }');
    // Six wrong passwords: the third locks the e-mail, the next two are refused as locked, the sixth by the rate limit (5/min).
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const login = await graph.request<{ login: { __typename: string } }>(op('Login'), { input: { email: user.email, password: 'not the password' } });
      expect(login.body.data?.login.__typename).toBe(attempt < 5 ? 'InvalidCredentials' : 'RateLimited');
    }
    // A message waiting (due in an hour), written an hour ago.
    await graph.sql`insert into auth.outbox (id, kind, created_at, next_attempt_at) values (gen_random_uuid(), 'test', now() - interval '1 hour', now() + interval '1 hour')`;

    const router = await metricsOf(graph.routerUrl);
    expect(sampleValue(router, 'meridian_graphql_requests_total', { operation: 'Me', type: 'query', result: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(router, 'meridian_graphql_requests_total', { operation: 'AddAddress', type: 'mutation', result: 'ok' })).toBe(1);
    expect(sampleValue(router, 'meridian_graphql_requests_total', { operation: 'other', type: 'query' })).toBe(1);
    expect(sampleValue(router, 'meridian_graphql_errors_total', { operation: 'anonymous', code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(sampleValue(router, 'meridian_graphql_request_duration_seconds_count', { operation: 'Me' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(router, 'meridian_router_subgraph_request_duration_seconds_count', { subgraph: 'auth', status: '200' })).toBeGreaterThan(0);
    expect(sampleValue(router, 'meridian_router_subgraph_request_duration_seconds_count', { subgraph: 'users', status: '200' })).toBeGreaterThan(0);
    expect(sampleValue(router, 'meridian_http_requests_total', { path: '/graphql', status: '200' })).toBeGreaterThan(0);
    expect(sampleValue(router, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sampleValue(router, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(sampleValue(router, 'meridian_db_pool_connections_max')).toBeGreaterThanOrEqual(5);
    expect(sampleValue(router, 'meridian_db_pool_connections_in_use')).toBeGreaterThanOrEqual(0);
    expect(sampleValue(router, 'meridian_db_pool_waiting')).toBeGreaterThanOrEqual(0);

    const users = await metricsOf(graph.subgraphUrls.users);
    // The gateway's name for its call (`Me__users__1`) counts under the client's operation.
    expect(sampleValue(users, 'meridian_graphql_requests_total', { operation: 'Me', result: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(users, 'meridian_auth_lockouts_total')).toBeUndefined();

    const auth = await metricsOf(graph.subgraphUrls.auth);
    expect(sampleValue(auth, 'meridian_auth_lockouts_total')).toBe(1);
    expect(sampleValue(auth, 'meridian_auth_locked_attempts_total')).toBe(2);
    expect(sampleValue(auth, 'meridian_auth_rate_limit_refusals_total', { action: 'login', limit: 'identifier' })).toBe(1);
    expect(sampleValue(auth, 'meridian_auth_outbox_backlog')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(auth, 'meridian_auth_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(3600);
    expect(sampleValue(auth, 'meridian_auth_password_hash_queue_depth')).toBe(0);

    // While sign-ins wait for the one hashing slot, the queue shows them.
    const storm = Promise.all(Array.from({ length: 6 }, () => graph.request(op('Login'), { input: { email: `nobody-${randomBytes(4).toString('hex')}@example.com`, password: 'whatever it is' } })));
    const busy = await eventually(async () => {
      const during = await metricsOf(graph.subgraphUrls.auth);
      expect(sampleValue(during, 'meridian_auth_password_hash_running')).toBe(1);
      expect(sampleValue(during, 'meridian_auth_password_hash_queue_depth')).toBeGreaterThanOrEqual(1);
      return during;
    }, 5_000);
    expect(busy).toBeDefined();
    await storm;
  });
});
