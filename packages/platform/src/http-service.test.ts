import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { jsonReply, startHttpService } from './http-service.js';

describe('graceful shutdown', () => {
  it('finishes in-flight requests, then refuses new connections', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const service = await startHttpService({
      logger: createLogger({ service: 'test', level: 'silent' }),
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 1024,
      shutdownTimeoutMs: 5_000,
      routes: {
        '/slow': async () => {
          started();
          await gate;
          return jsonReply(200, { finished: true });
        },
      },
      graphql: async () => jsonReply(200, {}),
    });

    const slow = fetch(`${service.url}/slow`).then(async (response) => ({ status: response.status, body: await response.json() }));
    await inFlight;
    const closed = service.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(fetch(`${service.url}/slow`)).rejects.toThrow();
    release();
    expect(await slow).toEqual({ status: 200, body: { finished: true } });
    await closed;
  });
});

describe('beforeGraphQL', () => {
  const start = (beforeGraphQL?: Parameters<typeof startHttpService>[0]['beforeGraphQL']) =>
    startHttpService({
      logger: createLogger({ service: 'test', level: 'silent' }),
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 1024,
      shutdownTimeoutMs: 1_000,
      routes: { '/health': () => jsonReply(200, { status: 'ok' }) },
      graphql: async () => jsonReply(200, { data: {} }, [['cache-control', 'private, no-store']]),
      ...(beforeGraphQL ? { beforeGraphQL } : {}),
    });

  it('sets its headers on every /graphql answer unless the answer sets them, and answers OPTIONS 204', async () => {
    const service = await start((_req, res) => {
      res.setHeader('vary', 'Origin');
      res.setHeader('cache-control', 'no-store');
    });
    try {
      const ok = await fetch(`${service.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const tooLarge = await fetch(`${service.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(2048) });
      const options = await fetch(`${service.url}/graphql`, { method: 'OPTIONS' });
      const put = await fetch(`${service.url}/graphql`, { method: 'PUT' });
      const health = await fetch(`${service.url}/health`);
      expect([ok, tooLarge, options, put].map((response) => [response.status, response.headers.get('vary'), response.headers.get('cache-control')])).toEqual([
        [200, 'Origin', 'private, no-store'],
        [413, 'Origin', 'no-store'],
        [204, 'Origin', 'no-store'],
        [405, 'Origin', 'no-store'],
      ]);
      expect(options.headers.get('allow')).toBe('GET, POST, OPTIONS');
      expect(put.headers.get('allow')).toBe('GET, POST, OPTIONS');
      expect(health.headers.get('vary')).toBeNull();
    } finally {
      await service.close();
    }
  });

  it('is absent from services without it (subgraphs): OPTIONS stays a 405', async () => {
    const service = await start();
    try {
      const options = await fetch(`${service.url}/graphql`, { method: 'OPTIONS' });
      expect([options.status, options.headers.get('allow'), options.headers.get('vary')]).toEqual([405, 'GET, POST', null]);
    } finally {
      await service.close();
    }
  });
});

describe('trace context and metrics', () => {
  const start = (options: { acceptTraceContext?: boolean; metrics?: Parameters<typeof startHttpService>[0]['metrics'] }) =>
    startHttpService({
      logger: createLogger({ service: 'test', level: 'silent' }),
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 1024,
      shutdownTimeoutMs: 1_000,
      routes: {},
      // Answers with the trace context headers the service saw.
      graphql: async (req) => jsonReply(200, { traceparent: req.headers.traceparent ?? null, tracestate: req.headers.tracestate ?? null, baggage: req.headers.baggage ?? null }),
      ...options,
    });
  const traced = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'vendor=x', baggage: 'user=1' };

  it("drops a caller's trace context where it is not accepted (the router), and keeps it elsewhere", async () => {
    for (const acceptTraceContext of [false, true, undefined]) {
      const service = await start(acceptTraceContext === undefined ? {} : { acceptTraceContext });
      try {
        const seen = await (await fetch(`${service.url}/graphql`, { headers: traced })).json();
        expect(seen).toEqual(acceptTraceContext === false ? { traceparent: null, tracestate: null, baggage: null } : traced);
      } finally {
        await service.close();
      }
    }
  });

  it('serves /metrics and counts its answers by path and status', async () => {
    const registry = new Registry();
    const service = await start({ metrics: { registry, token: undefined, production: false } });
    try {
      await fetch(`${service.url}/graphql`);
      await fetch(`${service.url}/nowhere`);
      const text = await (await fetch(`${service.url}/metrics`)).text();
      expect(text).toContain('meridian_http_requests_total{path="/graphql",status="200"} 1');
      expect(text).toContain('meridian_http_requests_total{path="other",status="404"} 1');
    } finally {
      await service.close();
    }
  });
});
