import type { IncomingMessage } from 'node:http';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { firstSeenOperationLabels, knownOperationLabels, metricsRoute } from './metrics.js';

const request = (authorization?: string) => ({ headers: authorization ? { authorization } : {} }) as IncomingMessage;

function serviceRegistry(): Registry {
  const registry = new Registry();
  new Counter({ name: 'meridian_test_total', help: 'a counter of this service', registers: [registry] }).inc(3);
  return registry;
}

describe('/metrics', () => {
  const token = 'a-metrics-token-of-enough-length';

  it("serves the process's and the service's metrics in Prometheus' text format", async () => {
    const reply = await metricsRoute({ registry: serviceRegistry(), token: undefined, production: false })(request());
    expect(reply.status).toBe(200);
    expect(Object.fromEntries(reply.headers)['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(reply.body).toContain('meridian_test_total 3');
    expect(reply.body).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(reply.body).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });

  it('serves nothing in production without METRICS_TOKEN', async () => {
    const reply = await metricsRoute({ registry: serviceRegistry(), token: undefined, production: true })(request());
    expect(reply.status).toBe(404);
    expect(reply.body).not.toContain('meridian_');
  });

  it('asks for METRICS_TOKEN as a bearer token whenever it is set', async () => {
    for (const production of [true, false]) {
      const route = metricsRoute({ registry: serviceRegistry(), token, production });
      for (const wrong of [undefined, `Bearer ${token}x`, `Basic ${token}`, token, 'Bearer ']) {
        const reply = await route(request(wrong));
        expect(reply.status, String(wrong)).toBe(401);
        expect(Object.fromEntries(reply.headers)['www-authenticate']).toBe('Bearer realm="metrics"');
      }
      expect((await route(request(`Bearer ${token}`))).status).toBe(200);
    }
  });
});

describe('operation labels', () => {
  it('keep the names of shipped operations and bucket any other name', () => {
    const label = knownOperationLabels(['Me', 'Login']);
    expect([label('Me'), label('Login'), label('Me2'), label('x'.repeat(500)), label(undefined), label('')]).toEqual(['Me', 'Login', 'other', 'other', 'anonymous', 'anonymous']);
  });

  it("name a subgraph call after the client's operation, and stop growing at the limit", () => {
    const label = firstSeenOperationLabels(3);
    expect([label('Me__auth__0'), label('Me__users__1'), label('AddAddress__users__0'), label('_entities')]).toEqual(['Me', 'Me', 'AddAddress', '_entities']);
    expect([label('Fourth__users__0'), label('Fifth'), label('Me__auth__0'), label(null)]).toEqual(['other', 'other', 'Me', 'anonymous']);
  });
});
