import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import { eventually } from './support/eventually.js';
import { registerUser, type SignedInUser } from './support/seed.js';

let graph: TestGraph;
let user: SignedInUser;

beforeAll(async () => {
  graph = await startTestGraph();
  user = await registerUser(graph, { email: 'known@example.com', password: 'the right password' });
});
afterAll(() => graph?.stop());

describe('expected failures are typed results', () => {
  it('rejects malformed e-mail addresses and weak passwords without creating anything', async () => {
    const cases = [
      [{ email: 'not-an-email', password: 'long enough password' }, { __typename: 'InvalidEmail', code: 'INVALID_EMAIL' }],
      [{ email: 'new@example.com', password: 'short' }, { __typename: 'PasswordTooWeak', code: 'PASSWORD_TOO_WEAK', minLength: 8, maxLength: 128 }],
      [{ email: 'new@example.com', password: 'x'.repeat(129) }, { __typename: 'PasswordTooWeak', code: 'PASSWORD_TOO_WEAK' }],
      [
        { email: 'new@example.com', password: 'long enough password', displayName: 'a\u0000b', preferredLocale: 'klingon-klingon' },
        {
          __typename: 'ValidationFailed',
          fields: [expect.objectContaining({ field: 'displayName', code: 'INVALID_FORMAT' }), expect.objectContaining({ field: 'preferredLocale', code: 'INVALID_LOCALE' })],
        },
      ],
    ] as const;
    for (const [input, expected] of cases) {
      const response = await graph.request<{ register: Record<string, unknown> }>(op('Register'), { input });
      expect(response.body.data!.register).toMatchObject(expected);
    }
    expect(await graph.count('auth.users')).toBe(1);
  });

  it('gives an unknown e-mail and a wrong password the very same answer', async () => {
    const unknown = await graph.request(op('Login'), { input: { email: 'nobody@example.com', password: 'the right password' } });
    const wrong = await graph.request(op('Login'), { input: { email: 'known@example.com', password: 'the wrong password' } });
    const malformed = await graph.request(op('Login'), { input: { email: 'nobody', password: 'x' } });
    const expected = {
      data: { login: { __typename: 'InvalidCredentials', code: 'INVALID_CREDENTIALS', message: 'The e-mail address or password is incorrect' } },
    };
    expect(unknown.body).toEqual(expected);
    expect(wrong.body).toEqual(expected);
    expect(malformed.body).toEqual(expected);
  });

  it('answers a second sign-up for a taken address exactly like a new one, and tells the owner instead', async () => {
    for (const email of ['known@example.com', 'KNOWN@EXAMPLE.COM', ' ｋｎｏｗｎ@example.com ']) {
      const response = await graph.request<{ register: Record<string, unknown> }>(op('Register'), { input: { email, password: 'another password entirely' } });
      expect(response.body.data!.register).toEqual({ __typename: 'VerificationEmailSent', email: 'known@example.com' });
    }
    const notices = await eventually(async () => {
      const mails = graph.mailbox.to('known@example.com').filter((mail) => mail.link?.endsWith('/forgot-password'));
      expect(mails).toHaveLength(3);
      return mails;
    });
    expect(notices.every((mail) => mail.token === null)).toBe(true);
    expect(await graph.count('auth.users')).toBe(1);
    expect(await graph.count('auth.registrations')).toBe(1);
  });

  it('treats an unknown or malformed refresh token as invalid', async () => {
    for (const refreshToken of ['x', 'A'.repeat(43), `${user.refreshToken}x`, '']) {
      const response = await graph.request<{ refreshSession: Record<string, unknown> }>(op('RefreshSession'), { refreshToken });
      expect(response.body.data!.refreshSession).toMatchObject({ __typename: 'InvalidRefreshToken' });
    }
  });
});

describe('unexpected failures are masked', () => {
  it('hides database errors behind "Internal server error" and the request id', async () => {
    await graph.sql`alter table users.addresses rename to addresses_gone`;
    try {
      const response = await graph.request<{ me: Record<string, unknown> }>(op('Me'), {}, { token: user.accessToken });
      const requestId = response.headers.get('x-request-id');
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      // `addresses` is a non-null list, so its failure makes `me` null.
      expect(response.body.data).toEqual({ me: null });
      expect(response.body.errors).toEqual([
        expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }),
      ]);
      for (const leak of ['addresses_gone', 'relation', 'select', 'postgres', 'users.', 'stack']) {
        expect(response.text.toLowerCase()).not.toContain(leak);
      }
    } finally {
      await graph.sql`alter table users.addresses_gone rename to addresses`;
    }
  });
});

describe('HTTP hardening', () => {
  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(graph.routerUrl, { method: 'POST', headers, body });

  it('rejects a body over the size limit before parsing it (a 1 MB password never reaches argon2)', async () => {
    const response = await post(JSON.stringify({ query: op('Login'), variables: { input: { email: 'known@example.com', password: 'x'.repeat(1024 * 1024) } } }));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ errors: [{ message: 'Request body is too large', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('rejects malformed JSON', async () => {
    const response = await post('{"query": ');
    expect(response.status).toBe(400);
  });

  it('refuses batched requests', async () => {
    const response = await post(JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]));
    expect(response.status).toBe(400);
  });

  it('refuses simple cross-site requests (CSRF prevention)', async () => {
    const response = await post(JSON.stringify({ query: '{ __typename }' }), { 'content-type': 'text/plain' });
    expect(response.status).toBe(400);
    const get = await fetch(`${graph.routerUrl}?query=${encodeURIComponent('{ __typename }')}`);
    expect(get.status).toBe(400);
  });

  it('refuses mutations over GET', async () => {
    const query = encodeURIComponent('mutation { logout { __typename } }');
    const response = await fetch(`${graph.routerUrl}?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(405);
  });

  it('reports invalid arguments as a validation error, not an internal one', async () => {
    const response = await graph.request(op('Login'), { input: { email: 42 } });
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
