// Two replicas of the auth service behind one router, each its own process on the same database
// with the same AUTH_SECRET and keys (users and localization once): the router balances calls over
// both, and the replicas share the lockout, the ended sessions and the outbox through PostgreSQL. A
// replica that stops, or whose /ready fails, is left out (the graph keeps answering) and used again
// once it is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitsEnv } from '@meridian/auth';
import { migrateDatabase } from '@meridian/db';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { op } from './support/graph.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';
import { sampleValue, scrape } from './support/prometheus.js';
import { createServiceRoles, postGraphQL, startServices, type RunningServices, type ServiceRoles } from './support/service-processes.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

const PASSWORD = 'two replicas, one source of truth';
const METRICS_TOKEN = 'replicas-test-metrics-token-0123456789';
const REPLICAS = ['auth', 'auth-2'] as const;

let database: TestDatabase;
let roles: ServiceRoles;
let mailbox: Mailbox;
let services: RunningServices;
/** Between auth-2 and the database, so that the test can cut that replica off from it. */
let proxy: TcpProxy;

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateDatabase(database.url);
  roles = await createServiceRoles(database);
  mailbox = await startMailbox();
  const target = new URL(database.url);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  services = await startServices({
    databaseUrls: { auth: roles.urlFor('auth'), users: roles.urlFor('users'), localization: roles.urlFor('localization'), catalog: roles.urlFor('catalog'), inventory: roles.urlFor('inventory'), cart: roles.urlFor('cart'), orders: roles.urlFor('orders'), notifications: roles.urlFor('notifications'), payments: roles.urlFor('payments') },
    smtpUrl: mailbox.url,
    authReplicas: 2,
    env: {
      // Relaxed rate limits, so that the lockout (10 failures) is what refuses; both outbox workers poll often.
      auth: { ...rateLimitsEnv('100000/60'), METRICS_TOKEN, OUTBOX_POLL_MS: '100', LOG_LEVEL: 'warn' },
      'auth-2': { DATABASE_URL: proxy.via(roles.urlFor('auth')) },
      users: { LOG_LEVEL: 'warn' },
      localization: { LOG_LEVEL: 'warn' },
      router: { SESSION_DENYLIST_REFRESH_MS: '200', SUBGRAPH_EJECTION_MS: '200', SUBGRAPH_EJECTION_MAX_MS: '500', METRICS_TOKEN, LOG_LEVEL: 'warn' },
    },
  });
});

afterAll(async () => {
  await services?.stopAll();
  await mailbox?.close();
  await proxy?.close();
  await database?.drop();
  await roles?.drop();
});

/** A counter of one auth replica, from its own /metrics. */
async function counter(replica: (typeof REPLICAS)[number], name: string, labels: Record<string, string> = {}): Promise<number> {
  return sampleValue(await scrape(`http://127.0.0.1:${services.ports[replica]}/metrics`, METRICS_TOKEN), name, labels) ?? 0;
}

/** The same counter of each replica. */
const counters = (name: string, labels: Record<string, string> = {}) => Promise.all(REPLICAS.map((replica) => counter(replica, name, labels)));

const typename = (reply: Awaited<ReturnType<typeof postGraphQL>>, field: string) =>
  reply.errors?.map((error) => error.extensions?.code ?? error.message).join(',') ?? String(reply.data?.[field]?.__typename);

async function signUp(email: string): Promise<{ accessToken: string; refreshToken: string }> {
  await postGraphQL(services.routerUrl, op('Register'), { input: { email, password: PASSWORD } });
  const mail = await mailbox.waitFor((received) => received.to === email);
  const verified = await postGraphQL(services.routerUrl, op('VerifyEmail'), { token: mail.token });
  return verified.data?.verifyEmail as { accessToken: string; refreshToken: string };
}

const login = (email: string, password: string) => postGraphQL(services.routerUrl, op('Login'), { input: { email, password } });

describe('two auth replicas behind one router', () => {
  it('share the lockout: ten wrong passwords lock the address whichever replica counted them, and both refuse it', async () => {
    const email = 'locked@example.com';
    await signUp(email);
    const [loginsBefore, lockedBefore] = [await counters('meridian_graphql_requests_total', { operation: 'Login' }), await counters('meridian_auth_locked_attempts_total')];
    const wrong = [];
    for (let attempt = 0; attempt < 10; attempt++) wrong.push(typename(await login(email, 'not the password at all'), 'login'));
    const right = [];
    for (let attempt = 0; attempt < 4; attempt++) right.push(typename(await login(email, PASSWORD), 'login'));
    const [loginsAfter, lockedAfter] = [await counters('meridian_graphql_requests_total', { operation: 'Login' }), await counters('meridian_auth_locked_attempts_total')];
    expect({ wrong: new Set(wrong), right: new Set(right) }).toEqual({ wrong: new Set(['InvalidCredentials']), right: new Set(['InvalidCredentials']) });
    // Each replica served some of the sign-ins, and each refused the right password because of the lock.
    expect(loginsAfter.map((after, index) => after - loginsBefore[index]! > 0)).toEqual([true, true]);
    expect(lockedAfter.map((after, index) => after - lockedBefore[index]! > 0)).toEqual([true, true]);
  });

  it('share the ended sessions: after a logout through one replica, the session is refused whichever replica the next call reaches', async () => {
    const session = await signUp('leaving@example.com');
    const me = () => postGraphQL(services.routerUrl, '{ me { email } }', {}, session.accessToken);
    expect((await me()).data?.me).toEqual({ email: 'leaving@example.com' });
    expect(typename(await postGraphQL(services.routerUrl, op('Logout'), { refreshToken: session.refreshToken }), 'logout')).toBe('LoggedOut');
    // The router reads the ended sessions from either replica; its access token is refused at the edge.
    await eventually(async () => expect((await me()).status).toBe(401), 5_000);
    expect(await Promise.all([me(), me(), me(), me()].map(async (reply) => (await reply).status))).toEqual([401, 401, 401, 401]);
    // And its refresh token by each replica.
    const refreshesBefore = await counters('meridian_graphql_requests_total', { operation: 'RefreshSession' });
    const refreshed = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      refreshed.push(typename(await postGraphQL(services.routerUrl, op('RefreshSession'), { refreshToken: session.refreshToken }), 'refreshSession'));
    }
    const refreshesAfter = await counters('meridian_graphql_requests_total', { operation: 'RefreshSession' });
    expect(new Set(refreshed)).toEqual(new Set(['InvalidRefreshToken']));
    expect(refreshesAfter.map((after, index) => after - refreshesBefore[index]! > 0)).toEqual([true, true]);
  });

  it("share the outbox: each sign-up mail is sent once, with both replicas' outbox workers running", async () => {
    const emails = Array.from({ length: 8 }, (_, index) => `outbox-${index}@example.com`);
    const answers = await Promise.all(emails.map((email) => postGraphQL(services.routerUrl, op('Register'), { input: { email, password: PASSWORD } })));
    expect(answers.map((answer) => typename(answer, 'register'))).toEqual(emails.map(() => 'VerificationEmailSent'));
    await Promise.all(emails.map((email) => mailbox.waitFor((received) => received.to === email)));
    // Several polls of both workers later, still one mail each.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(emails.map((email) => mailbox.to(email).length)).toEqual(emails.map(() => 1));
  });

  // A stop and a fresh start of an auth process (its start alone takes several seconds on this machine).
  it('ejects a replica that stops, so the graph keeps answering, and uses it again once it is back', { timeout: 90_000 }, async () => {
    const { accessToken } = await signUp('steady@example.com');
    const me = async () => {
      const reply = await postGraphQL(services.routerUrl, '{ me { email } }', {}, accessToken);
      return reply.errors?.map((error) => error.extensions?.code).join(',') ?? (reply.data?.me?.email as string);
    };
    // Calls from the router to auth that got no answer at all (a refused connection).
    const unanswered = async () =>
      sampleValue(await scrape(`http://127.0.0.1:${services.ports.router}/metrics`, METRICS_TOKEN), 'meridian_router_subgraph_request_duration_seconds_count', { subgraph: 'auth', status: 'error' }) ?? 0;
    const unansweredBefore = await unanswered();
    expect(await services.stop('auth-2')).toBe(0);
    const answers = [];
    for (let call = 0; call < 10; call++) answers.push(await me());
    expect(answers).toEqual(answers.map(() => 'steady@example.com'));
    // The first call that found auth-2 gone was sent again to auth, and auth-2 was left out: no call after it tried auth-2.
    expect(await unanswered()).toBeLessThanOrEqual(unansweredBefore + 1);
    const ready = await fetch(`http://127.0.0.1:${services.ports.router}/ready`);
    expect({ status: ready.status, body: await ready.json() }).toEqual({ status: 200, body: { status: 'ready', subgraphs: { auth: true, users: true, localization: true, catalog: true, inventory: true, cart: true, orders: true, notifications: true, payments: true } } });

    await services.restart('auth-2');
    // A fresh process: any /graphql call it counts came from the router after it was back.
    await eventually(async () => {
      expect(await me()).toBe('steady@example.com');
      expect(await counter('auth-2', 'meridian_http_requests_total', { path: '/graphql' })).toBeGreaterThan(0);
    }, 5_000);
  });

  it('leaves out a replica whose /ready fails (cut off from its database), and takes it back once it is ready', async () => {
    const { accessToken } = await signUp('unready@example.com');
    const me = async () => {
      const reply = await postGraphQL(services.routerUrl, '{ me { email } }', {}, accessToken);
      return reply.errors?.map((error) => error.extensions?.code).join(',') ?? (reply.data?.me?.email as string);
    };
    const servedBefore = await counter('auth-2', 'meridian_http_requests_total', { path: '/graphql' });
    proxy.cut();
    try {
      // The router's /ready asks every replica's: auth-2 answers 503 and is left out; auth can serve.
      const ready = await fetch(`http://127.0.0.1:${services.ports.router}/ready`);
      expect({ status: ready.status, auth: ((await ready.json()) as { subgraphs: { auth: boolean } }).subgraphs.auth }).toEqual({ status: 200, auth: true });
      // auth-2 could not answer `me` without its database: every call went to auth.
      const answers = [];
      for (let call = 0; call < 6; call++) answers.push(await me());
      expect(answers).toEqual(answers.map(() => 'unready@example.com'));
    } finally {
      proxy.restore();
    }
    await eventually(async () => {
      expect(await me()).toBe('unready@example.com');
      expect(await counter('auth-2', 'meridian_http_requests_total', { path: '/graphql' })).toBeGreaterThan(servedBefore);
    }, 8_000);
    expect(services.logs()).not.toMatch(/uncaught|unhandled/i);
  });
});
