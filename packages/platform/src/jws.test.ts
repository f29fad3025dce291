import { createSecretKey, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHmacJwsSigner, createJwsSigner, verifyEdDsaJws, verifyEdDsaOrHs256Jws } from './jws.js';
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
    // 64 bytes in 86 characters leave four bits of the last unused.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const slack = `${header}.${payload}.${signature.slice(0, -1)}${alphabet[alphabet.indexOf(signature.at(-1)!) ^ 1]}`;
    for (const respelled of [`${token}~~`, `${token}=`, `${header}.${payload}.${signature}A`, `${header}=.${payload}.${signature}`, `${header}.${payload}+.${signature}`, slack]) {
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

describe('verifyEdDsaOrHs256Jws', () => {
  const macKey = createSecretKey(randomBytes(32));
  const mac = createHmacJwsSigner('mac-1', macKey);

  it('verifies an HS256 token by its kid and an EdDSA token by the key set; verifyEdDsaJws never accepts HS256', async () => {
    const { signer, keys } = await setUp();
    const macKeys = new Map([['mac-1', macKey]]);
    expect(await verifyEdDsaOrHs256Jws(mac.sign({ typ: 'r+jwt' }, { sub: 'a' }), keys, macKeys, 'r+jwt')).toEqual({ ok: true, payload: { sub: 'a' } });
    expect(await verifyEdDsaOrHs256Jws(signer.sign({ typ: 'r+jwt' }, { sub: 'a' }), keys, macKeys, 'r+jwt')).toEqual({ ok: true, payload: { sub: 'a' } });
    expect(await verifyEdDsaOrHs256Jws(mac.sign({ typ: 'r+jwt' }, { sub: 'a' }), keys, new Map([['mac-2', macKey]]), 'r+jwt')).toEqual({ ok: false });
    expect(await verifyEdDsaOrHs256Jws(createHmacJwsSigner('mac-1', createSecretKey(randomBytes(32))).sign({ typ: 'r+jwt' }, { sub: 'a' }), keys, macKeys, 'r+jwt')).toEqual({ ok: false });
    expect(await verifyEdDsaJws(mac.sign({ typ: 'r+jwt' }, { sub: 'a' }), keys, 'r+jwt')).toEqual({ ok: false });
    // A valid Ed25519 signature under a header that names HS256 is checked as a MAC, and fails.
    const [, payload, signature] = signer.sign({ typ: 'r+jwt' }, { sub: 'a' }).split('.') as [string, string, string];
    const hs256Header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'r+jwt', kid: 'mac-1' })).toString('base64url');
    expect(await verifyEdDsaOrHs256Jws(`${hs256Header}.${payload}.${signature}`, keys, macKeys, 'r+jwt')).toEqual({ ok: false });
  });

  it('checks EdDSA only with a public key: a key set that answers with a secret or a private key verifies nothing', async () => {
    const { signer } = await setUp();
    const [key] = await importSigningKeys([await generateSigningJwk()], 'test');
    const token = createJwsSigner(key!.kid, key!.privateKey).sign({ typ: 'r+jwt' }, { sub: 'a' });
    expect(await verifyEdDsaJws(token, async () => key!.privateKey, 'r+jwt')).toEqual({ ok: false });
    expect(await verifyEdDsaJws(signer.sign({ typ: 'r+jwt' }, { sub: 'a' }), async () => macKey, 'r+jwt')).toEqual({ ok: false });
    expect(await verifyEdDsaJws(token, async () => key!.publicJwk, 'r+jwt')).toMatchObject({ ok: true });
  });

  it('refuses another spelling of an HS256 token, and a MAC key shorter than 32 bytes', async () => {
    const { keys } = await setUp();
    const token = mac.sign({ typ: 'r+jwt' }, { sub: 'a' });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    for (const respelled of [`${token}=`, `${header}.${payload}.${signature}A`, `${header}.${payload}.${signature.slice(0, -1)}`, `${header}.${payload}~.${signature}`]) {
      expect(await verifyEdDsaOrHs256Jws(respelled, keys, new Map([['mac-1', macKey]]), 'r+jwt')).toEqual({ ok: false });
    }
    // 32 bytes in 43 characters leave two bits of the last unused: setting them spells the same MAC otherwise.
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const slack = last[last.indexOf(signature.at(-1)!) ^ 1]!;
    expect(await verifyEdDsaOrHs256Jws(`${header}.${payload}.${signature.slice(0, -1)}${slack}`, keys, new Map([['mac-1', macKey]]), 'r+jwt')).toEqual({ ok: false });
    expect(() => createHmacJwsSigner('short', createSecretKey(randomBytes(16)))).toThrow(/at least 32 bytes/);
  });
});
