import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCommonConfig } from './config.js';
import { resolveRouterTokenKeys, resolveRouterVerificationKeys } from './router-keys.js';
import { deriveRouterMacKey, generateRouterMacSecret, resolveRouterMacKeys, resolveRouterMacSecrets, routerMacKeyEntries } from './router-mac.js';

const directories: string[] = [];
afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

async function common(env: Record<string, string>) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'meridian-mac-'));
  directories.push(dataDir);
  return readCommonConfig({ DATA_DIR: dataDir, ...env });
}

describe('router MAC configuration', () => {
  it('derives a different key for each subgraph, the same one from the same secret', () => {
    const secret = Buffer.alloc(32, 7);
    expect(deriveRouterMacKey(secret, 'users').export().equals(deriveRouterMacKey(secret, 'users').export())).toBe(true);
    expect(deriveRouterMacKey(secret, 'users').export().equals(deriveRouterMacKey(secret, 'auth').export())).toBe(false);
  });

  it('gives a subgraph only the keys listed for it, by kid', async () => {
    const secrets = [generateRouterMacSecret(), generateRouterMacSecret()];
    const production = await common({ NODE_ENV: 'production' });
    const keysFor = await resolveRouterMacKeys(production, { ROUTER_MAC_KEYS: JSON.stringify([...routerMacKeyEntries(secrets, 'users'), ...routerMacKeyEntries(secrets.slice(0, 1), 'auth')]) });
    expect([...keysFor('users').keys()]).toEqual(secrets.map((secret) => secret.kid));
    expect([...keysFor('auth').keys()]).toEqual([secrets[0]!.kid]);
    expect(() => keysFor('catalog')).toThrow(/no key for the catalog subgraph/);
    const users = keysFor('users').get(secrets[0]!.kid)!;
    expect(users.export().equals(deriveRouterMacKey(Buffer.from(secrets[0]!.secret, 'base64url'), 'users').export())).toBe(true);
  });

  it('is off in production unless configured; outside production the router and the subgraphs share a generated secret', async () => {
    const production = await common({ NODE_ENV: 'production' });
    expect(await resolveRouterMacSecrets(production, {})).toEqual([]);
    expect((await resolveRouterMacKeys(production, {}))('users').size).toBe(0);
    const development = await common({ NODE_ENV: 'development' });
    const [secret] = await resolveRouterMacSecrets(development, {});
    expect(secret!.secret.length).toBe(32);
    const derived = (await resolveRouterMacKeys(development, {}))('users').get(secret!.kid)!;
    expect(derived.export().equals(deriveRouterMacKey(secret!.secret, 'users').export())).toBe(true);
    // A router or subgraph given its keys by hand (ROUTER_SIGNING_KEYS, ROUTER_JWKS) generates no MAC secret either.
    expect(await resolveRouterMacSecrets(development, { ROUTER_SIGNING_KEYS: '[]' })).toEqual([]);
    expect((await resolveRouterMacKeys(development, { ROUTER_SIGNING_KEYS: '[]' }))('users').size).toBe(0);
    // In one environment with the router (pnpm start), a subgraph derives its key from the router's secret.
    const shared = generateRouterMacSecret();
    const fromShared = (await resolveRouterMacKeys(development, { ROUTER_SIGNING_KEYS: '[]', ROUTER_MAC_SECRETS: JSON.stringify([shared]) }))('users');
    expect(fromShared.get(shared.kid)!.export().equals(deriveRouterMacKey(Buffer.from(shared.secret, 'base64url'), 'users').export())).toBe(true);
    expect((await resolveRouterMacKeys(development, { ROUTER_JWKS: '{"keys":[]}' }))('users').size).toBe(0);
  });

  it('refuses short secrets and keys, repeated kids, entries without a subgraph, and anything but a list', async () => {
    const production = await common({ NODE_ENV: 'production' });
    const short = { kid: 'k', secret: Buffer.alloc(16).toString('base64url') };
    await expect(resolveRouterMacSecrets(production, { ROUTER_MAC_SECRETS: JSON.stringify([short]) })).rejects.toThrow(/at least 32 random bytes/);
    const one = generateRouterMacSecret();
    await expect(resolveRouterMacSecrets(production, { ROUTER_MAC_SECRETS: JSON.stringify([one, { ...generateRouterMacSecret(), kid: one.kid }]) })).rejects.toThrow(/share a kid/);
    await expect(resolveRouterMacSecrets(production, { ROUTER_MAC_SECRETS: JSON.stringify(one) })).rejects.toThrow(/JSON list/);
    const [entry] = routerMacKeyEntries([one], 'users');
    await expect(resolveRouterMacKeys(production, { ROUTER_MAC_KEYS: JSON.stringify([{ kid: entry!.kid, key: entry!.key }]) })).rejects.toThrow(/names the subgraph/);
    await expect(resolveRouterMacKeys(production, { ROUTER_MAC_KEYS: JSON.stringify([entry, entry]) })).rejects.toThrow(/share a kid/);
    await expect(resolveRouterMacKeys(production, { ROUTER_MAC_KEYS: JSON.stringify([{ ...entry, key: 'c2hvcnQ' }]) })).rejects.toThrow(/at least 32 random bytes/);
  });

  it('runs on MACs alone in production when only ROUTER_MAC_SECRETS and ROUTER_MAC_KEYS are set', async () => {
    const production = await common({ NODE_ENV: 'production' });
    const secrets = [generateRouterMacSecret()];
    const router = await resolveRouterTokenKeys(production, { ROUTER_MAC_SECRETS: JSON.stringify(secrets) });
    expect({ signingKeys: router.signingKeys, macKids: router.macSecrets.map((secret) => secret.kid) }).toEqual({ signingKeys: [], macKids: [secrets[0]!.kid] });
    await expect(resolveRouterTokenKeys(production, {})).rejects.toThrow(/ROUTER_SIGNING_KEYS is required/);
    const subgraph = await resolveRouterVerificationKeys(production, { ROUTER_MAC_KEYS: JSON.stringify(routerMacKeyEntries(secrets, 'users')) });
    expect(subgraph.signatures).toBeNull();
    expect(subgraph.macKeysFor('users').size).toBe(1);
    await expect(resolveRouterVerificationKeys(production, {})).rejects.toThrow(/ROUTER_JWKS \(or ROUTER_MAC_KEYS/);
  });
});
