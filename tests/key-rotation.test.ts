import { afterAll, describe, expect, it } from 'vitest';
import { generateSigningJwk } from '@meridian/platform';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import { registerUser } from './support/seed.js';

let database: TestDatabase | undefined;
let running: TestGraph | undefined;
afterAll(async () => {
  await running?.stop();
  await database?.drop();
});

const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid as string;

describe('signing key rotation (README "Rotating signing keys")', () => {
  it('signs with the newest key, keeps verifying with older ones, and stops once a key is removed', { timeout: 90_000 }, async () => {
    database = await createTestDatabase();
    const [oldKey, newKey] = [await generateSigningJwk(), await generateSigningJwk()];

    // 1. One key.
    running = await startTestGraph({ database, authJwks: [oldKey] });
    const user = await registerUser(running);
    expect(kidOf(user.accessToken)).toBe(oldKey.kid);
    await running.stop();

    // 2. The new key first, the old one kept: old tokens pass, new ones are signed with the new key.
    running = await startTestGraph({ database, authJwks: [newKey, oldKey] });
    const stillValid = await running.request<{ me: { id: string } }>(op('Me'), {}, { token: user.accessToken });
    expect(stillValid.body.data!.me.id).toBe(user.id);
    const login = await running.request<{ login: { accessToken: string } }>(op('Login'), { input: { email: user.email, password: user.password } });
    const fresh = login.body.data!.login.accessToken;
    expect(kidOf(fresh)).toBe(newKey.kid);
    const jwks = (await (await fetch(new URL('/.well-known/jwks.json', running.routerUrl))).json()) as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys.map((key) => key.kid)).toEqual([newKey.kid, oldKey.kid]);
    expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);
    await running.stop();

    // 3. Once the old tokens have expired, the old key goes: tokens it signed no longer pass.
    running = await startTestGraph({ database, authJwks: [newKey] });
    const retired = await running.request(op('Me'), {}, { token: user.accessToken });
    expect(retired.status).toBe(401);
    expect(retired.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const current = await running.request<{ me: { id: string } }>(op('Me'), {}, { token: fresh });
    expect(current.body.data!.me.id).toBe(user.id);
  });
});
