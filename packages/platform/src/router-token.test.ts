import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VerifiedAccessToken } from './access-token.js';
import { generateSigningJwk, importSigningKeys, localKeyResolver, publicKeySet } from './keys.js';
import { createRouterTokenSigner, createRouterTokenVerifier } from './router-token.js';

const client = { userAgent: 'vitest', ip: '127.0.0.1' };

async function setUp() {
  const [key] = await importSigningKeys([await generateSigningJwk()], 'test');
  const sign = createRouterTokenSigner(key!);
  const verifierFor = (subgraph: string) => createRouterTokenVerifier({ keys: localKeyResolver(publicKeySet([key!])), subgraph });
  return { key: key!, sign, verifierFor };
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

describe('router tokens carry the caller the router verified', () => {
  it('hands the subgraph the viewer, client and language it was signed with', async () => {
    const { sign, verifierFor } = await setUp();
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
    const { sign, verifierFor } = await setUp();
    const service = caller({ viewer: { userId: randomUUID(), sessionId: randomUUID(), roles: ['checkout'], clientId: 'orders' } });
    const token = sign({ subgraph: 'inventory', caller: service, client });
    expect(await verifierFor('inventory')(token, service.accessToken)).toMatchObject({ ok: true, viewer: { clientId: 'orders', roles: ['checkout'] } });
  });

  it('refuses a changed claim, another key, another audience, another access token, and an unsigned or HMAC token', async () => {
    const { sign, verifierFor } = await setUp();
    const stranger = createRouterTokenSigner((await importSigningKeys([await generateSigningJwk()], 'test'))[0]!);
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
    const { sign, verifierFor } = await setUp();
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
