import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_TYPE, createAccessTokenVerifier, parseBearer } from './access-token.js';
import { generateSigningJwk, importSigningKeys, localKeyResolver, publicKeySet, remoteKeyResolver } from './keys.js';
import { serviceSubject } from './service-identity.js';

const issuer = 'urn:test:issuer';
const audience = 'urn:test:audience';
let server: Server | undefined;

afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function keyServer(body: unknown): Promise<string> {
  server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
}

async function token() {
  const [key] = await importSigningKeys([await generateSigningJwk()], 'test');
  const jwt = await new SignJWT({ sid: crypto.randomUUID(), roles: ['customer'] })
    .setProtectedHeader({ alg: 'EdDSA', typ: ACCESS_TOKEN_TYPE, kid: key!.kid })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(crypto.randomUUID())
    .setJti(crypto.randomUUID())
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key!.privateKey);
  return { jwt, keySet: publicKeySet([key!]) };
}

describe('access tokens against a remote key set', () => {
  it('verifies with the published keys', async () => {
    const { jwt, keySet } = await token();
    const verify = createAccessTokenVerifier({ keys: remoteKeyResolver(await keyServer(keySet)), issuer, audience });
    expect(await verify(jwt)).toMatchObject({ ok: true });
  });

  it('answers "unavailable", not "invalid", when the keys were never fetched and cannot be', async () => {
    const { jwt } = await token();
    const verify = createAccessTokenVerifier({ keys: remoteKeyResolver('http://127.0.0.1:9/jwks'), issuer, audience });
    expect(await verify(jwt)).toEqual({ ok: false, reason: 'unavailable' });
  });

  it('keeps verifying with the last keys seen while the key server is down', async () => {
    const { jwt, keySet } = await token();
    const verify = createAccessTokenVerifier({ keys: remoteKeyResolver(await keyServer(keySet), 1), issuer, audience });
    expect(await verify(jwt)).toMatchObject({ ok: true });
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await verify(jwt)).toMatchObject({ ok: true });
  });
});

describe('parseBearer', () => {
  it('tells no header, a token and a malformed header apart', () => {
    expect(parseBearer(undefined)).toEqual({ kind: 'none' });
    expect(parseBearer('Bearer abc.def.ghi')).toEqual({ kind: 'token', token: 'abc.def.ghi' });
    expect(parseBearer('bearer abc')).toEqual({ kind: 'token', token: 'abc' });
    expect(parseBearer('Basic abc')).toEqual({ kind: 'malformed' });
    expect(parseBearer(`Bearer ${'a'.repeat(5000)}`)).toEqual({ kind: 'malformed' });
  });
});

describe('service identities', () => {
  async function serviceToken(claims: Record<string, unknown>) {
    const [key] = await importSigningKeys([await generateSigningJwk()], 'test');
    const jwt = await new SignJWT({ sid: crypto.randomUUID(), ...claims })
      .setProtectedHeader({ alg: 'EdDSA', typ: ACCESS_TOKEN_TYPE, kid: key!.kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(serviceSubject('orders'))
      .setJti(crypto.randomUUID())
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key!.privateKey);
    const verify = createAccessTokenVerifier({ keys: localKeyResolver(publicKeySet([key!])), issuer, audience });
    return verify(jwt);
  }

  it('reads the client_id claim into the viewer', async () => {
    expect(await serviceToken({ client_id: 'orders', roles: ['checkout'] })).toMatchObject({
      ok: true,
      token: { viewer: { userId: serviceSubject('orders'), roles: ['checkout'], clientId: 'orders' } },
    });
  });

  it('refuses a service token with a role no service may hold, or a malformed client id', async () => {
    for (const claims of [
      { client_id: 'orders', roles: ['checkout', 'admin'] },
      { client_id: 'orders', roles: ['customer'] },
      { client_id: 'orders', roles: ['account_erasure'] },
      { client_id: 'Orders!', roles: ['checkout'] },
      { client_id: 42, roles: ['checkout'] },
    ]) {
      expect(await serviceToken(claims)).toEqual({ ok: false, reason: 'invalid' });
    }
  });
});
