import { createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VerifiedAccessToken } from './access-token.js';
import { createHmacJwsSigner } from './jws.js';
import { generateSigningJwk, importSigningKeys, localKeyResolver, publicKeySet } from './keys.js';
import { routerVerificationKeys } from './router-keys.js';
import { deriveRouterMacKey, type RouterMacSecret } from './router-mac.js';
import { createRouterTokenSigner, createRouterTokenVerifier } from './router-token.js';

const client = { userAgent: 'vitest', ip: '127.0.0.1' };

type Proof = 'signature' | 'mac';

const macSecret = (kid = 'mac-1'): RouterMacSecret => ({ kid, secret: randomBytes(32) });
const macKeysFrom = (secrets: RouterMacSecret[]) => (subgraph: string) => new Map(secrets.map((secret) => [secret.kid, deriveRouterMacKey(secret.secret, subgraph)]));

/** A router signing with Ed25519, or MACing with a secret each subgraph holds its derived key of; and a stranger of the same kind. */
async function setUp(proof: Proof = 'signature') {
  const [key, otherKey] = await importSigningKeys([await generateSigningJwk(), await generateSigningJwk()], 'test');
  const mac = macSecret();
  const sign = createRouterTokenSigner(key!, { mac: proof === 'mac' ? mac : undefined });
  const stranger = createRouterTokenSigner(otherKey!, { mac: proof === 'mac' ? macSecret() : undefined });
  const keys = routerVerificationKeys(localKeyResolver(publicKeySet([key!])), proof === 'mac' ? macKeysFrom([mac]) : undefined);
  const verifierFor = (subgraph: string) => createRouterTokenVerifier({ keys, subgraph });
  return { key: key!, mac, sign, stranger, verifierFor };
}

function caller(overrides: Partial<VerifiedAccessToken> = {}): { accessToken: string; verified: VerifiedAccessToken } {
  return {
    accessToken: `access-${randomUUID()}`,
    verified: {
      viewer: { userId: randomUUID(), sessionId: randomUUID(), roles: ['customer'], authTime: 1_700_000_000, amr: ['pwd', 'otp', 'mfa'] },
      tokenId: randomUUID(),
      expiresAt: new Date(Date.now() + 600_000),
      ...overrides,
    },
  };
}

function tamper(token: string, change: (payload: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  change(claims);
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

afterEach(() => vi.useRealTimers());

describe.each(['signature', 'mac'] as const)('router tokens (%s) carry the caller the router verified', (proof) => {
  it('hands the subgraph the viewer, client and language it was signed with', async () => {
    const { sign, verifierFor } = await setUp(proof);
    const who = caller();
    const token = sign({ subgraph: 'users', caller: who, client, localization: { locale: 'de', currency: 'EUR' } });
    expect(await verifierFor('users')(token, who.accessToken)).toEqual({
      ok: true,
      viewer: who.verified.viewer,
      client,
      localization: { locale: 'de', currency: 'EUR' },
      refreshCookie: null,
    });
    const anonymous = sign({ subgraph: 'users', caller: undefined, client });
    expect(await verifierFor('users')(anonymous, undefined)).toMatchObject({ ok: true, viewer: null });
  });

  it('reads a service identity back with its client id', async () => {
    const { sign, verifierFor } = await setUp(proof);
    const service = caller({ viewer: { userId: randomUUID(), sessionId: randomUUID(), roles: ['checkout'], clientId: 'orders' } });
    const token = sign({ subgraph: 'inventory', caller: service, client });
    expect(await verifierFor('inventory')(token, service.accessToken)).toMatchObject({ ok: true, viewer: { clientId: 'orders', roles: ['checkout'] } });
  });

  it('refuses a changed claim, another key, another audience, another access token, and an unsigned or foreign-MAC token', async () => {
    const { sign, stranger, verifierFor } = await setUp(proof);
    const who = caller();
    const token = sign({ subgraph: 'users', caller: who, client });
    const header = (fields: Record<string, unknown>) => Buffer.from(JSON.stringify(fields)).toString('base64url');
    const [, payload] = token.split('.');
    const refused = [
      tamper(token, (claims) => (claims.roles = ['admin'])),
      tamper(token, (claims) => (claims.sub = randomUUID())),
      stranger({ subgraph: 'users', caller: who, client }),
      sign({ subgraph: 'auth', caller: who, client }),
      `${header({ alg: 'none', typ: 'meridian-router+jwt' })}.${payload}.`,
      `${header({ alg: 'HS256', typ: 'meridian-router+jwt', kid: 'x' })}.${payload}.${token.split('.')[2]}`,
      'garbage',
    ];
    for (const forged of refused) expect(await verifierFor('users')(forged, who.accessToken)).toEqual({ ok: false, reason: 'invalid' });
    // Replayed beside another caller's access token, or with none.
    expect(await verifierFor('users')(token, caller().accessToken)).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifierFor('users')(token, undefined)).toEqual({ ok: false, reason: 'invalid' });
    // A router token vouching for nobody does not carry a bearer token.
    expect(await verifierFor('users')(sign({ subgraph: 'users', caller: undefined, client }), who.accessToken)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a token past its minute, and says "expired" once the access token it vouches for has expired', async () => {
    const { sign, verifierFor } = await setUp(proof);
    const who = caller({ expiresAt: new Date(Date.now() + 20_000) });
    const token = sign({ subgraph: 'users', caller: who, client });
    const verify = verifierFor('users');
    expect(await verify(token, who.accessToken)).toMatchObject({ ok: true });
    vi.useFakeTimers({ now: Date.now() + 30_000 });
    expect(await verify(token, who.accessToken)).toEqual({ ok: false, reason: 'expired' });
    const late = caller();
    const old = sign({ subgraph: 'users', caller: late, client });
    vi.setSystemTime(Date.now() + 70_000);
    expect(await verifierFor('users')(old, late.accessToken)).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('router tokens with a keyed MAC', () => {
  it('are MACed with HS256 under the kid of the first secret', async () => {
    const { sign, mac } = await setUp('mac');
    const [header, , signature] = sign({ subgraph: 'users', caller: caller(), client }).split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ typ: 'meridian-router+jwt', alg: 'HS256', kid: mac.kid });
    expect(signature).toHaveLength(43);
  });

  it('is refused by a subgraph that holds no MAC key, and a signed token is still accepted beside MACed ones', async () => {
    const { key, sign, mac } = await setUp('mac');
    const who = caller();
    const token = sign({ subgraph: 'users', caller: who, client });
    const signaturesOnly = createRouterTokenVerifier({ keys: routerVerificationKeys(localKeyResolver(publicKeySet([key]))), subgraph: 'users' });
    expect(await signaturesOnly(token, who.accessToken)).toEqual({ ok: false, reason: 'invalid' });
    const both = createRouterTokenVerifier({ keys: routerVerificationKeys(localKeyResolver(publicKeySet([key])), macKeysFrom([mac])), subgraph: 'users' });
    expect(await both(createRouterTokenSigner(key)({ subgraph: 'users', caller: who, client }), who.accessToken)).toMatchObject({ ok: true });
  });

  it('needs a signing key or a MAC secret; a subgraph taking MACs only refuses a signed token', async () => {
    const { key, mac } = await setUp('mac');
    expect(() => createRouterTokenSigner(undefined)).toThrow(/a signing key or a MAC secret/);
    const who = caller();
    const macOnly = createRouterTokenVerifier({ keys: routerVerificationKeys(null, macKeysFrom([mac])), subgraph: 'users' });
    expect(await macOnly(createRouterTokenSigner(undefined, { mac })({ subgraph: 'users', caller: who, client }), who.accessToken)).toMatchObject({ ok: true });
    expect(await macOnly(createRouterTokenSigner(key)({ subgraph: 'users', caller: who, client }), who.accessToken)).toEqual({ ok: false, reason: 'invalid' });
  });

  it("cannot be made for another subgraph with one subgraph's key", async () => {
    const { mac, sign, verifierFor } = await setUp('mac');
    const who = caller();
    const [, payload] = sign({ subgraph: 'users', caller: who, client }).split('.') as [string, string];
    const claims = { ...(JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>), aud: 'auth' };
    const usersKey = createHmacJwsSigner(mac.kid, deriveRouterMacKey(mac.secret, 'users'));
    expect(await verifierFor('users')(usersKey.sign({ typ: 'meridian-router+jwt' }, { ...claims, aud: 'users' }), who.accessToken)).toMatchObject({ ok: true });
    expect(await verifierFor('auth')(usersKey.sign({ typ: 'meridian-router+jwt' }, claims), who.accessToken)).toEqual({ ok: false, reason: 'invalid' });
  });

  it("refuses an HS256 token keyed with the router's public key", async () => {
    const { key, mac, sign, verifierFor } = await setUp('mac');
    const who = caller();
    const [, payload] = sign({ subgraph: 'users', caller: who, client }).split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const publicBytes = Buffer.from(String(key.publicJwk.x), 'base64url');
    for (const secret of [publicBytes, Buffer.from(JSON.stringify(key.publicJwk))]) {
      for (const kid of [mac.kid, key.kid]) {
        const forged = createHmacJwsSigner(kid, createSecretKey(secret)).sign({ typ: 'meridian-router+jwt' }, claims);
        expect(await verifierFor('users')(forged, who.accessToken)).toEqual({ ok: false, reason: 'invalid' });
      }
    }
  });

  it('rotates: a subgraph holding the old and the new key accepts both while the router moves to the new secret', async () => {
    const [key] = await importSigningKeys([await generateSigningJwk()], 'test');
    const [old, fresh] = [macSecret('mac-old'), macSecret('mac-new')];
    const verify = createRouterTokenVerifier({ keys: routerVerificationKeys(localKeyResolver(publicKeySet([key!])), macKeysFrom([fresh, old])), subgraph: 'users' });
    const who = caller();
    for (const mac of [old, fresh]) expect(await verify(createRouterTokenSigner(key!, { mac })({ subgraph: 'users', caller: who, client }), who.accessToken)).toMatchObject({ ok: true });
    const retired = createRouterTokenVerifier({ keys: routerVerificationKeys(localKeyResolver(publicKeySet([key!])), macKeysFrom([fresh])), subgraph: 'users' });
    expect(await retired(createRouterTokenSigner(key!, { mac: old })({ subgraph: 'users', caller: who, client }), who.accessToken)).toEqual({ ok: false, reason: 'invalid' });
  });
});
