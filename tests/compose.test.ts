// compose.yaml runs two replicas of each subgraph and gives the router every replica's URL. There is
// no Docker engine here, so the file is parsed and read as Compose would read it (anchors and merge keys).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readRouterConfig } from '@meridian/router';

interface Service {
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  networks?: Record<string, { aliases?: string[] } | null>;
  healthcheck?: { test: string[] };
}

const compose = parse(readFileSync(new URL('../compose.yaml', import.meta.url), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const SUBGRAPHS = { auth: 'subgraphs/auth/src/main.ts', users: 'subgraphs/users/src/main.ts', localization: 'subgraphs/localization/src/main.ts', catalog: 'subgraphs/catalog/src/main.ts', inventory: 'subgraphs/inventory/src/main.ts', cart: 'subgraphs/cart/src/main.ts', orders: 'subgraphs/orders/src/main.ts', notifications: 'subgraphs/notifications/src/main.ts', payments: 'subgraphs/payments/src/main.ts' };

describe('compose.yaml', () => {
  const { services } = compose;
  const router = services.router!;

  it('runs two replicas of each subgraph, each started by node itself with a readiness check', () => {
    for (const [subgraph, entry] of Object.entries(SUBGRAPHS)) {
      const replicas = Object.keys(services).filter((name) => name.startsWith(`${subgraph}-`));
      expect(replicas, subgraph).toEqual([`${subgraph}-1`, `${subgraph}-2`]);
      for (const name of replicas) {
        expect(services[name]!.command, name).toEqual(['node', '--import', 'tsx', entry]);
        expect(services[name]!.healthcheck?.test.join(' '), name).toMatch(/\/ready/);
      }
    }
  });

  it("gives the router every replica's URL, and waits for each replica to be ready", () => {
    const config = readRouterConfig(router.environment);
    for (const subgraph of Object.keys(SUBGRAPHS)) {
      const replicas = [`${subgraph}-1`, `${subgraph}-2`];
      expect(config.subgraphUrls[subgraph]!.map((url) => new URL(url).hostname)).toEqual(replicas);
      for (const name of replicas) expect(router.depends_on?.[name], name).toEqual({ condition: 'service_healthy' });
    }
  });

  it("shares the auth replicas' AUTH_SECRET and keys (one data volume), and reaches the JWKS of either under one name", () => {
    for (const name of ['auth-1', 'auth-2']) {
      expect(services[name]!.environment?.DATA_DIR).toBe('/data');
      expect(services[name]!.networks?.default?.aliases).toContain('auth');
    }
    expect(new URL(router.environment!.AUTH_JWKS_URL!).hostname).toBe('auth');
  });
});
