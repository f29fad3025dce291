import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '@meridian/platform';
import type { PersistedQueryManifest } from '@meridian/schema';
import { FALLBACK_DEFAULT_LOCALE, SHOP_SETTINGS_TTL_MS, createShopSettingsLookup } from './shop-settings.client.js';

const QUERY = 'query CatalogShop { shop { defaultLocale currencies } }';
const manifest: PersistedQueryManifest = { format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'x', name: 'CatalogShop', type: 'query', body: QUERY }] };
const log = createLogger({ service: 'test', level: 'silent' });

let server: Server;
let shop: { defaultLocale: string; currencies: string[] } | null;
let requests: { operationName: string; query: string }[];

beforeEach(async () => {
  shop = { defaultLocale: 'de', currencies: ['EUR', 'GBP'] };
  requests = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push(JSON.parse(body) as { operationName: string; query: string });
      if (shop === null) return res.writeHead(502).end('{}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { shop } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterEach(async () => {
  vi.useRealTimers();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const lookup = () => createShopSettingsLookup({ routerUrl: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, manifest, log });

describe("the shop's settings, read through the router", () => {
  it('sends the listed operation exactly as listed', async () => {
    await lookup().currencies();
    expect(requests).toEqual([{ query: QUERY, operationName: 'CatalogShop' }]);
  });

  it('answers the default locale at once: en until the first read, then what the shop says, renewed after the ttl', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const settings = lookup();
    expect(settings.defaultLocale()).toBe(FALLBACK_DEFAULT_LOCALE);
    await vi.waitFor(() => expect(settings.defaultLocale()).toBe('de'));
    expect(requests).toHaveLength(1);

    shop = { defaultLocale: 'fr', currencies: ['EUR'] };
    expect(settings.defaultLocale()).toBe('de');
    expect(requests).toHaveLength(1);
    vi.setSystemTime(Date.now() + SHOP_SETTINGS_TTL_MS + 1);
    expect(settings.defaultLocale()).toBe('de');
    await vi.waitFor(() => expect(settings.defaultLocale()).toBe('fr'));
    expect(requests).toHaveLength(2);
  });

  it('keeps the last default locale while the shop cannot be read, and asks again only after the ttl', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const settings = lookup();
    settings.defaultLocale();
    await vi.waitFor(() => expect(settings.defaultLocale()).toBe('de'));
    shop = null;
    vi.setSystemTime(Date.now() + SHOP_SETTINGS_TTL_MS + 1);
    settings.defaultLocale();
    await vi.waitFor(() => expect(requests).toHaveLength(2));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settings.defaultLocale()).toBe('de');
    expect(requests).toHaveLength(2);
  });

  it('reads the currencies anew on every call, so a currency enabled a moment ago counts', async () => {
    const settings = lookup();
    expect(await settings.currencies()).toEqual(['EUR', 'GBP']);
    shop = { defaultLocale: 'de', currencies: ['EUR', 'GBP', 'JPY'] };
    expect(await settings.currencies()).toEqual(['EUR', 'GBP', 'JPY']);
    expect(requests).toHaveLength(2);
  });

  it('answers SERVICE_UNAVAILABLE when the currencies cannot be read', async () => {
    shop = null;
    await expect(lookup().currencies()).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
  });

  it('refuses to start without the operation in the persisted query list', () => {
    expect(() => createShopSettingsLookup({ routerUrl: () => 'http://127.0.0.1:1/', manifest: { ...manifest, operations: [] }, log })).toThrow(/CatalogShop/);
  });
});
