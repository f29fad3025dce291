import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { parseSetCookie } from 'cookie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFRESH_COOKIE_HEADER, REFRESH_COOKIE_UPDATE_HEADER, ROUTER_TOKEN_HEADER } from '@meridian/platform';
import { eventually } from './support/eventually.js';
import { op, startTestGraph, type GraphQLResponse, type TestGraph } from './support/graph.js';
import { registerUser, type SignedInUser } from './support/seed.js';

// The test graph's PUBLIC_BASE_URL, so the only origin in its default CORS_ORIGINS.
const ALLOWED_ORIGIN = 'https://shop.example';
const COOKIE = '__Host-meridian_refresh';
const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

let graph: TestGraph;
// One account for the whole file (a sign-up costs a hash and a mail); each test opens its own sessions.
let user: SignedInUser;

beforeAll(async () => {
  graph = await startTestGraph();
  user = await registerUser(graph);
});
afterAll(() => graph?.stop());

interface Session {
  __typename: string;
  accessToken: string;
  refreshToken: string | null;
  code?: string;
}

interface Call {
  /** The refresh cookie's value, sent as the browser would. */
  cookie?: string;
  /** `Origin`; the allowed origin unless given (null: none). */
  origin?: string | null;
  token?: string;
  headers?: Record<string, string>;
}

function call<T>(operation: string, variables: Record<string, unknown>, { cookie, origin = ALLOWED_ORIGIN, token, headers = {} }: Call = {}) {
  return graph.request<T>(operation.includes('{') ? operation : op(operation), variables, {
    ...(token ? { token } : {}),
    headers: { ...(origin === null ? {} : { origin }), ...(cookie !== undefined ? { cookie: `${COOKIE}=${cookie}` } : {}), ...headers },
  });
}

const setCookies = (response: GraphQLResponse<unknown>) => response.headers.getSetCookie();

/** The refresh cookie a response sets: its value, or '' when it deletes it. Fails unless exactly one is set. */
function cookieSet(response: GraphQLResponse<unknown>): { value: string; maxAge: number | undefined; raw: string } {
  const all = setCookies(response);
  expect(all).toHaveLength(1);
  const parsed = parseSetCookie(all[0]!);
  expect(parsed.name).toBe(COOKIE);
  return { value: parsed.value ?? '', maxAge: parsed.maxAge, raw: all[0]! };
}

const sessionIdOf = (accessToken: string) => JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()).sid as string;
const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

/** A new session with the refresh token in the body, as a mobile app signs in. */
async function loginWithBody() {
  const response = await call<{ login: Session & { refreshToken: string } }>('Login', { input: { email: user.email, password: user.password } }, { origin: null });
  expect(response.body.data!.login.__typename).toBe('AuthSession');
  return response.body.data!.login;
}

async function loginWithCookie() {
  const response = await call<{ login: Session }>('Login', { input: { email: user.email, password: user.password }, tokenDelivery: 'COOKIE' });
  const session = response.body.data!.login;
  expect(session.__typename).toBe('AuthSession');
  return { session, cookie: cookieSet(response).value };
}

async function refreshWithCookie(cookie: string) {
  const response = await call<{ refreshSession: Session }>('RefreshSession', {}, { cookie });
  return { response, session: response.body.data!.refreshSession };
}

async function expectRejectedByRouter(accessToken: string) {
  await eventually(async () => {
    const response = await graph.request(op('Me'), {}, { token: accessToken });
    expect(response.status).toBe(401);
  }, 5_000);
}

async function sessionState(sessionId: string) {
  const [session] = await graph.sql<{ revoked_at: Date | null }[]>`select revoked_at from auth.sessions where id = ${sessionId}`;
  const tokens = await graph.sql`select token_hash, used_at, expires_at from auth.refresh_tokens where session_id = ${sessionId} order by created_at`;
  const audit = await graph.sql`select kind from auth.audit_events where session_id = ${sessionId} order by occurred_at`;
  return { revokedAt: session?.revoked_at ?? null, tokens, audit: audit.map((event) => event.kind) };
}

/** Moves the moment the session's tokens were exchanged past the 10 s grace window. */
async function exchangedLongAgo(sessionId: string) {
  await graph.sql`update auth.refresh_tokens set used_at = now() - interval '60 seconds' where session_id = ${sessionId} and used_at is not null`;
}

describe('tokenDelivery: COOKIE', () => {
  it('sets __Host-meridian_refresh (HttpOnly, Secure, SameSite=Strict, Path=/, Max-Age = the refresh token lifetime) and leaves refreshToken null', async () => {
    const response = await call<{ login: Session }>('Login', { input: { email: user.email, password: user.password }, tokenDelivery: 'COOKIE' });
    const session = response.body.data!.login;
    expect(session).toMatchObject({ __typename: 'AuthSession', accessToken: expect.any(String), refreshToken: null });
    const { value, maxAge, raw } = cookieSet(response);
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(raw).toBe(`${COOKIE}=${value}; Max-Age=${maxAge}; Path=/; HttpOnly; Secure; SameSite=Strict`);
    expect(maxAge).toBeGreaterThan(REFRESH_TOKEN_TTL_SECONDS - 10);
    expect(maxAge).toBeLessThanOrEqual(REFRESH_TOKEN_TTL_SECONDS);
    // The cookie holds the session's refresh token, which nothing in the body revealed.
    const { tokens } = await sessionState(sessionIdOf(session.accessToken));
    expect(tokens.map((token) => token.token_hash)).toEqual([sha256(value)]);
    expect(response.text).not.toContain(value);
  });

  it('is offered by every mutation that signs in: verifyEmail and resetPassword too', async () => {
    const email = `cookie-${randomUUID()}@example.com`;
    const password = 'a perfectly fine passphrase';
    await call('Register', { input: { email, password } });
    const verification = await graph.mailbox.waitFor((mail) => mail.to === email && mail.link?.includes('/verify-email') === true);
    const verified = await call<{ verifyEmail: Session }>('VerifyEmail', { token: verification.token, tokenDelivery: 'COOKIE' });
    expect(verified.body.data!.verifyEmail).toMatchObject({ __typename: 'AuthSession', refreshToken: null });
    expect(cookieSet(verified).value).toMatch(/^[A-Za-z0-9_-]{43}$/);

    await call('RequestPasswordReset', { email });
    const reset = await graph.mailbox.waitFor((mail) => mail.to === email && mail.link?.includes('/reset-password') === true);
    const signedIn = await call<{ resetPassword: Session }>('ResetPassword', { token: reset.token, newPassword: 'another fine passphrase', tokenDelivery: 'COOKIE' });
    expect(signedIn.body.data!.resetPassword).toMatchObject({ __typename: 'AuthSession', refreshToken: null });
    const { tokens } = await sessionState(sessionIdOf(signedIn.body.data!.resetPassword.accessToken));
    expect(tokens.map((token) => token.token_hash)).toEqual([sha256(cookieSet(signedIn).value)]);
  });

  it('leaves BODY delivery as it was: the refresh token in the body and no Set-Cookie, by default, when asked, and whatever cookie is sent', async () => {
    const { cookie } = await loginWithCookie();
    const input = { email: user.email, password: user.password };
    const answers = [
      await graph.request<{ login: Session }>(op('Login'), { input }),
      await call<{ login: Session }>('Login', { input, tokenDelivery: 'BODY' }, { cookie }),
      await call<{ login: Session }>('Login', { input }, { origin: 'https://elsewhere.example', cookie }),
    ];
    for (const response of answers) {
      expect(response.body.data!.login).toMatchObject({ __typename: 'AuthSession', refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
      expect(setCookies(response)).toEqual([]);
    }
    // A token given as an argument is used, not the cookie, and its successor comes back in the body.
    const refreshed = await call<{ refreshSession: Session }>('RefreshSession', { refreshToken: answers[0]!.body.data!.login.refreshToken }, { cookie });
    expect(refreshed.body.data!.refreshSession).toMatchObject({ __typename: 'AuthSession', refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(setCookies(refreshed)).toEqual([]);
    expect((await refreshWithCookie(cookie)).session.__typename).toBe('AuthSession');
  });
});

describe('refreshSession with the cookie', () => {
  it('rotates the cookie: the successor is set in the cookie again, and a retry inside the grace window gets the same successor', async () => {
    const { session, cookie } = await loginWithCookie();
    const sessionId = sessionIdOf(session.accessToken);
    const first = await refreshWithCookie(cookie);
    expect(first.session).toMatchObject({ __typename: 'AuthSession', refreshToken: null });
    expect(sessionIdOf(first.session.accessToken)).toBe(sessionId);
    const successor = cookieSet(first.response);
    expect(successor.value).not.toBe(cookie);
    expect(successor.raw).toMatch(/; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    const { tokens } = await sessionState(sessionId);
    expect(tokens.map((token) => [token.token_hash, token.used_at !== null])).toEqual([
      [sha256(cookie), true],
      [sha256(successor.value), false],
    ]);
    const me = await graph.request<{ me: { id: string } }>(op('Me'), {}, { token: first.session.accessToken });
    expect(me.body.data!.me.id).toBe(user.id);

    const retry = await refreshWithCookie(cookie);
    expect(retry.session.__typename).toBe('AuthSession');
    expect(cookieSet(retry.response).value).toBe(successor.value);
    const next = await refreshWithCookie(successor.value);
    expect(next.session.__typename).toBe('AuthSession');
    expect(cookieSet(next.response).value).not.toBe(successor.value);
  });

  it('treats an old cookie value replayed after the grace window exactly as an old body token: the session ends; the cookie is deleted', async () => {
    async function replay(kind: 'body' | 'cookie') {
      let first: { accessToken: string; refresh: () => Promise<GraphQLResponse<{ refreshSession: Session }>> };
      let successor: () => Promise<GraphQLResponse<{ refreshSession: Session }>>;
      if (kind === 'cookie') {
        const { session, cookie } = await loginWithCookie();
        first = { accessToken: session.accessToken, refresh: async () => (await refreshWithCookie(cookie)).response };
        const rotated = await first.refresh();
        const next = cookieSet(rotated).value;
        successor = async () => (await refreshWithCookie(next)).response;
      } else {
        const { accessToken, refreshToken } = await loginWithBody();
        first = { accessToken, refresh: () => call('RefreshSession', { refreshToken }) };
        const rotated = await first.refresh();
        const next = rotated.body.data!.refreshSession.refreshToken;
        successor = () => call('RefreshSession', { refreshToken: next });
      }
      const sessionId = sessionIdOf(first.accessToken);
      await exchangedLongAgo(sessionId);
      const replayed = await first.refresh();
      await expectRejectedByRouter(first.accessToken);
      const state = await sessionState(sessionId);
      return {
        replayed: replayed.body,
        replayedCookie: setCookies(replayed).map((header) => parseSetCookie(header)).map(({ name, value, maxAge }) => ({ name, value, maxAge })),
        successor: (await successor()).body.data!.refreshSession.__typename,
        revoked: state.revokedAt instanceof Date,
        audit: state.audit,
      };
    }
    const [body, cookie] = [await replay('body'), await replay('cookie')];
    expect(body).toMatchObject({
      replayed: { data: { refreshSession: { __typename: 'InvalidRefreshToken', code: 'INVALID_REFRESH_TOKEN' } } },
      replayedCookie: [],
      successor: 'InvalidRefreshToken',
      revoked: true,
      audit: expect.arrayContaining(['refresh_reuse_detected', 'session_revoked']),
    });
    expect({ ...cookie, replayedCookie: [] }).toEqual(body);
    expect(cookie.replayedCookie).toEqual([{ name: COOKIE, value: '', maxAge: 0 }]);
  });

  it('answers a request with neither a token nor a cookie InvalidRefreshToken, and sets no cookie', async () => {
    const response = await call<{ refreshSession: Session }>('RefreshSession', {});
    expect(response.body).toEqual({
      data: { refreshSession: { __typename: 'InvalidRefreshToken', code: 'INVALID_REFRESH_TOKEN', message: 'This refresh token cannot be used; sign in again' } },
    });
    expect(setCookies(response)).toEqual([]);
  });
});

describe('logout with the cookie', () => {
  it('works with the cookie alone (no access token): ends the session, deletes the cookie, and the router refuses its access token', async () => {
    const other = await loginWithBody();
    const { session, cookie } = await loginWithCookie();
    const sessionId = sessionIdOf(session.accessToken);
    const response = await call('Logout', {}, { cookie });
    expect(response.body).toEqual({ data: { logout: { __typename: 'LoggedOut', sessionId } } });
    expect(cookieSet(response).raw).toBe(`${COOKIE}=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict`);
    await expectRejectedByRouter(session.accessToken);
    expect((await sessionState(sessionId)).audit).toContain('session_revoked');
    expect((await refreshWithCookie(cookie)).session.__typename).toBe('InvalidRefreshToken');
    // The user's other session is untouched.
    expect((await graph.request(op('Me'), {}, { token: other.accessToken })).status).toBe(200);
  });

  it('always deletes the cookie: signed out by access token, with a cookie that no longer works, or with a refresh token argument', async () => {
    const byAccessToken = await loginWithCookie();
    const answer = await call('Logout', {}, { token: byAccessToken.session.accessToken });
    expect(answer.body).toEqual({ data: { logout: { __typename: 'LoggedOut', sessionId: sessionIdOf(byAccessToken.session.accessToken) } } });
    expect(cookieSet(answer).value).toBe('');

    const stale = await call('Logout', {}, { cookie: byAccessToken.cookie });
    expect(stale.body).toEqual({ data: { logout: { __typename: 'LoggedOut', sessionId: sessionIdOf(byAccessToken.session.accessToken) } } });
    const unknown = await call('Logout', {}, { cookie: randomBytes(32).toString('base64url') });
    expect(unknown.body).toMatchObject({ data: { logout: { __typename: 'InvalidRefreshToken', code: 'INVALID_REFRESH_TOKEN' } } });
    for (const response of [stale, unknown]) expect(cookieSet(response)).toMatchObject({ value: '', maxAge: 0 });

    const app = await loginWithBody();
    const mobile = await call('Logout', { refreshToken: app.refreshToken }, { origin: null });
    expect(mobile.body).toEqual({ data: { logout: { __typename: 'LoggedOut', sessionId: sessionIdOf(app.accessToken) } } });
    await expectRejectedByRouter(app.accessToken);

    // Nothing to identify a session: neither a refresh token, a cookie nor an access token.
    const anonymous = await call('Logout', {});
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('CSRF protection of the cookie', () => {
  const refusal = {
    errors: [
      {
        message:
          "The refresh cookie is used and set only for requests from an allowed origin: an Origin listed in CORS_ORIGINS, or the API's own origin (Sec-Fetch-Site: same-origin)",
        extensions: { code: 'FORBIDDEN' },
      },
    ],
  };

  it('refuses (403, before anything runs) a request from an unlisted or missing origin that would use or set the cookie, and changes nothing', async () => {
    const { session, cookie } = await loginWithCookie();
    const sessionId = sessionIdOf(session.accessToken);
    const before = await sessionState(sessionId);
    const input = { email: user.email, password: user.password };
    for (const origin of ['https://evil.example', 'null', null]) {
      const attempts = [
        await call('RefreshSession', {}, { origin, cookie }),
        await call('RefreshSession', { refreshToken: null, tokenDelivery: 'BODY' }, { origin, cookie }),
        await call('mutation { ...Refresh } fragment Refresh on Mutation { refreshSession { __typename } }', {}, { origin, cookie }),
        await call('mutation($token: String) { ... on Mutation { refreshSession(refreshToken: $token) { __typename } } }', {}, { origin, cookie }),
        await call('Logout', {}, { origin, cookie }),
        await call('Logout', {}, { origin, cookie, token: session.accessToken }),
        await call('Login', { input, tokenDelivery: 'COOKIE' }, { origin }),
      ];
      for (const response of attempts) {
        expect(response.status).toBe(403);
        expect(response.body).toEqual(refusal);
        expect(setCookies(response)).toEqual([]);
      }
    }
    expect(await sessionState(sessionId)).toEqual(before);
    expect((await graph.request(op('Me'), {}, { token: session.accessToken })).status).toBe(200);
    // From the allowed origin the same cookie still works.
    expect((await refreshWithCookie(cookie)).session.__typename).toBe('AuthSession');
  });

  it('accepts the API’s own origin (Sec-Fetch-Site: same-origin), and lets an unlisted origin send a token as an argument', async () => {
    const { cookie } = await loginWithCookie();
    const sameOrigin = await call<{ refreshSession: Session }>('RefreshSession', {}, { origin: null, cookie, headers: { 'sec-fetch-site': 'same-origin' } });
    expect(sameOrigin.body.data!.refreshSession.__typename).toBe('AuthSession');
    expect(cookieSet(sameOrigin).value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const withArgument = await call<{ refreshSession: Session }>('RefreshSession', { refreshToken: (await loginWithBody()).refreshToken }, { origin: 'https://evil.example', cookie });
    expect(withArgument.body.data!.refreshSession).toMatchObject({ __typename: 'AuthSession', refreshToken: expect.any(String) });
    expect(setCookies(withArgument)).toEqual([]);
  });
});

describe('the cookie channel between the router and the auth service', () => {
  it('cannot be driven by a client: headers of the same names are neither relayed nor honoured', async () => {
    const app = await loginWithBody();
    const forged = {
      [REFRESH_COOKIE_HEADER]: app.refreshToken,
      [REFRESH_COOKIE_UPDATE_HEADER]: JSON.stringify({ action: 'store', token: randomBytes(32).toString('base64url'), maxAgeSeconds: 3600 }),
    };
    const refresh = await call<{ refreshSession: Session }>('RefreshSession', {}, { headers: forged });
    expect(refresh.body.data!.refreshSession.__typename).toBe('InvalidRefreshToken');
    const query = await call('{ __typename }', {}, { headers: forged });
    const login = await call('Login', { input: { email: user.email, password: user.password } }, { headers: forged });
    for (const response of [refresh, query, login]) expect(setCookies(response)).toEqual([]);
    // The body token was not consumed through the forged header.
    const { tokens } = await sessionState(sessionIdOf(app.accessToken));
    expect(tokens.every((token) => token.used_at === null)).toBe(true);
  });

  it('relays the cookie to the auth service only bound into the router token: a cookie header that the token does not name is refused', async () => {
    const { cookie } = await loginWithCookie();
    const send = (routerToken: string, relayed: string) =>
      fetch(graph.subgraphUrls.auth, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [ROUTER_TOKEN_HEADER]: routerToken, [REFRESH_COOKIE_HEADER]: relayed },
        body: JSON.stringify({ query: op('RefreshSession'), variables: {} }),
      });
    const unbound = await send(await graph.signRouterToken('auth', undefined), cookie);
    const other = await send(await graph.signRouterToken('auth', undefined, { refreshCookie: randomBytes(32).toString('base64url') }), cookie);
    for (const response of [unbound, other]) {
      expect(response.status).toBe(403);
      expect(response.headers.get(REFRESH_COOKIE_UPDATE_HEADER)).toBeNull();
    }
    expect((await sessionState(sessionIdOf((await refreshWithCookie(cookie)).session.accessToken))).tokens).toHaveLength(2);
  });
});
