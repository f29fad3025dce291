import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startGraph } from '../scripts/graph.js';
import { lastMail } from '../scripts/last-mail.js';
import { eventually } from './support/eventually.js';
import { op } from './support/graph.js';

let dataDir: string | undefined;
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function call(url: string, query: string, variables: Record<string, unknown>, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data: Record<string, Record<string, unknown>> };
}

describe('pnpm start without DATABASE_URL', () => {
  // Two starts on PGlite, the first of which seeds the demo shop: well over the default 30 s on 2 busy cores.
  it('runs on embedded PostgreSQL and keeps data and keys across restarts', { timeout: 120_000 }, async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'meridian-embedded-'));
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'silent', OUTBOX_POLL_MS: '200' };

    const first = await startGraph({ env, ephemeralPorts: true });
    let accessToken: string;
    try {
      expect(first.embedded).toBe(true);
      const registered = await call(first.routerUrl, op('Register'), { input: { email: 'embedded@example.com', password: 'a wasm postgres at home', displayName: 'Em' } });
      expect(registered.data.register).toEqual({ __typename: 'VerificationEmailSent', email: 'embedded@example.com' });
      // No SMTP_URL: the mail is written under the data directory.
      const mail = await eventually(async () => {
        const written = await lastMail(dataDir!);
        expect(written?.to).toBe('embedded@example.com');
        return written!;
      });
      const verified = await call(first.routerUrl, op('VerifyEmail'), { token: mail.token });
      accessToken = verified.data.verifyEmail!.accessToken as string;
      await call(first.routerUrl, op('AddAddress'), { input: { fullName: 'Em', line1: 'Damrak 1', city: 'Amsterdam', postalCode: '1012lg', countryCode: 'NL' } }, accessToken);
    } finally {
      await first.close();
    }

    const second = await startGraph({ env, ephemeralPorts: true });
    try {
      const me = await eventually(async () => {
        const result = await call(second.routerUrl, op('Me'), {}, accessToken);
        expect(result.data.me).toMatchObject({ profile: { displayName: 'Em' } });
        return result;
      });
      expect(me.data.me).toMatchObject({ email: 'embedded@example.com', profile: { displayName: 'Em' }, addresses: [{ postalCode: '1012 LG', city: 'Amsterdam' }] });
    } finally {
      await second.close();
    }
  });
});
