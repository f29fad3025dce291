import { randomUUID } from 'node:crypto';
import { SignJWT, UnsecuredJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouterTokenSigner, generateSigningJwk, importSigningKeys } from '@meridian/platform';
import { AUDIENCE, ISSUER, op, startTestGraph, type TestGraph } from './support/graph.js';
import { registerUser, type SignedInUser } from './support/seed.js';

let graph: TestGraph;
let user: SignedInUser;

beforeAll(async () => {
  graph = await startTestGraph();
  user = await registerUser(graph);
});
afterAll(() => graph?.stop());

function claims() {
  return new SignJWT({ sid: randomUUID(), roles: ['customer', 'admin'] })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(user.id)
    .setJti(randomUUID())
    .setIssuedAt();
}

async function expectRejected(token: string, message = 'The access token is invalid') {
  const response = await graph.request(op('Me'), {}, { token });
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  expect(response.body).toEqual({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
}

describe('the router verifies access tokens at the edge', () => {
  it('accepts the tokens the auth service issues', async () => {
    const response = await graph.request<{ me: { id: string } }>(op('Me'), {}, { token: user.accessToken });
    expect(response.body.data!.me.id).toBe(user.id);
  });

  it('rejects a token signed by another key, even with a known kid', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const token = await claims().setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: graph.authKeys[0]!.kid }).setExpirationTime('5m').sign(privateKey);
    await expectRejected(token);
  });

  it('rejects a token with an unknown kid', async () => {
    const other = await importSigningKeys([await generateSigningJwk()], 'test');
    const token = await claims().setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: other[0]!.kid }).setExpirationTime('5m').sign(other[0]!.privateKey);
    await expectRejected(token);
  });

  it('rejects an expired token', async () => {
    const key = graph.authKeys[0]!;
    const past = Math.floor(Date.now() / 1000) - 3600;
    const token = await claims()
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: key.kid })
      .setIssuedAt(past - 900)
      .setExpirationTime(past)
      .sign(key.privateKey);
    await expectRejected(token, 'The access token has expired');
  });

  it('rejects alg: none', async () => {
    const token = new UnsecuredJWT({ sid: randomUUID(), roles: ['admin'] }).setIssuer(ISSUER).setAudience(AUDIENCE).setSubject(user.id).setIssuedAt().setExpirationTime('5m').encode();
    await expectRejected(token);
  });

  it('rejects HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const publicJwk = graph.authKeys[0]!.publicJwk;
    const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
    const token = await claims().setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: graph.authKeys[0]!.kid }).setExpirationTime('5m').sign(secret);
    await expectRejected(token);
  });

  it.each([
    ['audience', (jwt: SignJWT) => jwt.setAudience('urn:someone-else')],
    ['issuer', (jwt: SignJWT) => jwt.setIssuer('urn:evil')],
  ])('rejects a wrong %s', async (_what, tamper) => {
    const key = graph.authKeys[0]!;
    const token = await tamper(claims().setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: key.kid }).setExpirationTime('5m')).sign(key.privateKey);
    await expectRejected(token);
  });

  it('rejects a token of another type (typ), such as a router token', async () => {
    const key = graph.authKeys[0]!;
    const token = await claims().setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: key.kid }).setExpirationTime('5m').sign(key.privateKey);
    await expectRejected(token);
  });

  it('rejects a tampered payload', async () => {
    const [header, , signature] = user.accessToken.split('.');
    const payload = Buffer.from(JSON.stringify({ sub: user.id, roles: ['admin'], iss: ISSUER, aud: AUDIENCE })).toString('base64url');
    await expectRejected(`${header}.${payload}.${signature}`);
  });

  it('rejects a malformed Authorization header', async () => {
    for (const authorization of ['Bearer', 'Basic dXNlcjpwYXNz', `Bearer ${user.accessToken} extra`, 'Bearer not a token']) {
      const response = await graph.request(op('Me'), {}, { headers: { authorization } });
      expect(response.status).toBe(401);
      expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('treats a request without a token as anonymous', async () => {
    const response = await graph.request(op('Me'));
    expect(response.body).toEqual({ data: { me: null } });
  });
});

describe('subgraphs accept only calls from the router', () => {
  const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id email } } }`;

  it('refuses a direct call without a router token, including _service and _entities', async () => {
    for (const [subgraph, body] of [
      ['auth', query],
      ['users', '{ _service { sdl } }'],
      ['auth', op('Me')],
    ] as const) {
      const response = await graph.requestSubgraph(subgraph, body, { r: [{ __typename: 'User', id: user.id }] }, { token: user.accessToken });
      expect(response.status).toBe(403);
      expect(response.body).toEqual({
        errors: [{ message: 'This service accepts requests only through the Meridian router', extensions: { code: 'FORBIDDEN' } }],
      });
    }
  });

  it('refuses a router token signed by another key, addressed to another subgraph, or bound to another access token', async () => {
    const stranger = createRouterTokenSigner((await importSigningKeys([await generateSigningJwk()], 'test'))[0]!);
    const client = { userAgent: null, ip: null };
    const forged = stranger({ subgraph: 'auth', caller: await graph.verifiedCaller(user.accessToken), client });
    const misaddressed = await graph.signRouterToken('users', user.accessToken);
    const rebound = await graph.signRouterToken('auth', undefined);
    const other = await registerUser(graph);
    const someoneElse = await graph.signRouterToken('auth', other.accessToken);
    for (const routerToken of [forged, misaddressed, rebound, someoneElse, 'garbage']) {
      const response = await graph.requestSubgraph('auth', query, { r: [{ __typename: 'User', id: user.id }] }, { token: user.accessToken, routerToken });
      expect(response.status).toBe(403);
    }
  });

  it('answers a call that carries a valid router token, and takes the caller from it: a token the router did not verify is refused', async () => {
    const ok = await graph.requestSubgraph<{ _entities: unknown[] }>('auth', query, { r: [{ __typename: 'User', id: user.id }] }, {
      token: user.accessToken,
      routerToken: 'sign',
    });
    expect(ok.body).toEqual({ data: { _entities: [{ id: user.id, email: user.email }] } });

    // What the router would do with a token it cannot verify is refuse it at the edge; a router token vouching for nobody does not carry it.
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const badUserToken = await claims().setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: graph.authKeys[0]!.kid }).setExpirationTime('5m').sign(privateKey);
    const refused = await graph.requestSubgraph('users', '{ __typename }', {}, { token: badUserToken, routerToken: 'sign' });
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('publishes the public signing keys (and only public members) through the router', async () => {
    const response = await fetch(new URL('/.well-known/jwks.json', graph.routerUrl));
    expect(response.status).toBe(200);
    const jwks = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toEqual([graph.authKeys[0]!.publicJwk]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });
});

describe('what the router passes on', () => {
  it('tells the auth service the client\'s user agent, inside the signed router token', async () => {
    const response = await graph.request<{ login: { __typename: string } }>(
      op('Login'),
      { input: { email: user.email, password: user.password } },
      { headers: { 'user-agent': 'MeridianTest/1.0 (Android 15)' } },
    );
    expect(response.body.data!.login.__typename).toBe('AuthSession');
    const [session] = await graph.sql`select user_agent from auth.sessions where user_id = ${user.id} order by created_at desc limit 1`;
    expect(session?.user_agent).toBe('MeridianTest/1.0 (Android 15)');
  });

  it('issues access tokens with the documented header and claims', async () => {
    const [header, payload] = user.accessToken.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toEqual({ alg: 'EdDSA', typ: 'at+jwt', kid: graph.authKeys[0]!.kid });
    expect(payload).toEqual({
      iss: ISSUER,
      aud: AUDIENCE,
      sub: user.id,
      sid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      roles: ['customer'],
      iat: expect.any(Number),
      exp: expect.any(Number),
      // When and how the session proved who it is (step-up, README "Second factors"): here, the verified e-mail's sign-in.
      auth_time: payload.iat,
      amr: ['pwd'],
    });
    expect(payload.exp - payload.iat).toBe(15 * 60);
    const [session] = await graph.sql`select user_id from auth.sessions where id = ${payload.sid}`;
    expect(session?.user_id).toBe(user.id);
  });
});
