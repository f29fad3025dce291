import { describe, expect, it } from 'vitest';
import { createJwsSigner, verifyEdDsaJws } from './jws.js';
import { generateSigningJwk, importSigningKeys, localKeyResolver, publicKeySet } from './keys.js';

async function setUp() {
  const [key] = await importSigningKeys([await generateSigningJwk()], 'test');
  const signer = createJwsSigner(key!.kid, key!.privateKey);
  return { signer, keys: localKeyResolver(publicKeySet([key!])) };
}

describe('verifyEdDsaJws', () => {
  it('verifies what it signed, and accepts the media type with its application/ prefix in any case (RFC 9068 §4)', async () => {
    const { signer, keys } = await setUp();
    expect(await verifyEdDsaJws(signer.sign({ typ: 'at+jwt' }, { sub: 'a' }), keys, 'at+jwt')).toEqual({ ok: true, payload: { sub: 'a' } });
    expect(await verifyEdDsaJws(signer.sign({ typ: 'Application/AT+JWT' }, { sub: 'a' }), keys, 'at+jwt')).toMatchObject({ ok: true });
    expect(await verifyEdDsaJws(signer.sign({ typ: 'jwt' }, { sub: 'a' }), keys, 'at+jwt')).toEqual({ ok: false });
  });

  it('refuses another spelling of a valid token: characters outside unpadded base64url, padding, a longer signature', async () => {
    const { signer, keys } = await setUp();
    const token = signer.sign({ typ: 'at+jwt' }, { sub: 'a' });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    for (const respelled of [`${token}~~`, `${token}=`, `${header}.${payload}.${signature}A`, `${header}=.${payload}.${signature}`, `${header}.${payload}+.${signature}`]) {
      expect(await verifyEdDsaJws(respelled, keys, 'at+jwt')).toEqual({ ok: false });
    }
  });

  it('refuses a token without a kid, with crit, or signed by another key', async () => {
    const { signer, keys } = await setUp();
    const other = await setUp();
    const token = signer.sign({ typ: 'at+jwt' }, { sub: 'a' });
    const [, payload, signature] = token.split('.') as [string, string, string];
    const header = (fields: Record<string, unknown>) => Buffer.from(JSON.stringify(fields)).toString('base64url');
    expect(await verifyEdDsaJws(`${header({ alg: 'EdDSA', typ: 'at+jwt' })}.${payload}.${signature}`, keys, 'at+jwt')).toEqual({ ok: false });
    expect(await verifyEdDsaJws(other.signer.sign({ typ: 'at+jwt', crit: ['x'], x: 1 }, { sub: 'a' }), other.keys, 'at+jwt')).toEqual({ ok: false });
    expect(await verifyEdDsaJws(other.signer.sign({ typ: 'at+jwt' }, { sub: 'a' }), keys, 'at+jwt')).toEqual({ ok: false });
  });
});
