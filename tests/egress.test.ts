import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { ADMIN_DATABASE_URL } from './support/database.js';
import { recordEgress } from './support/egress-recorder.js';
import { startOtlpReceiver } from './support/otlp-receiver.js';

/** Signs a user up and in, and runs a federated query, on a fresh graph in this process. */
async function customerSession(configuredUrls: string[]): Promise<void> {
  // Imported only now, so that no module loaded by the graph holds an unwrapped net or dns function.
  const { op, startTestGraph } = await import('./support/graph.js');
  const { registerUser } = await import('./support/seed.js');
  const graph = await startTestGraph();
  try {
    configuredUrls.push(graph.databaseUrl, graph.mailbox.url, graph.routerUrl, ...Object.values(graph.subgraphUrls));
    const user = await registerUser(graph, { displayName: 'Egress Check' });
    const login = await graph.request<{ login: { __typename: string; accessToken: string } }>(op('Login'), {
      input: { email: user.email, password: user.password },
    });
    expect(login.body.data?.login.__typename).toBe('AuthSession');
    const me = await graph.request<{ me: { id: string; addresses: unknown[] } }>(op('Me'), {}, { token: login.body.data!.login.accessToken });
    expect(me.body.errors).toBeUndefined();
    expect(me.body.data?.me).toMatchObject({ id: user.id, addresses: [] });
    // The catalog, which reads exchange rates through the router (a configured URL).
    const products = await graph.request<{ products: { totalCount: number } }>(`query Search($filter: ProductFilter) { products(filter: $filter) { totalCount } }`, { filter: { search: 'tent' } });
    expect(products.body.data?.products.totalCount).toBe(0);
  } finally {
    await graph.stop();
  }
}

// Issue 7: Meridian contacts nothing but what its operator configured (README "Outgoing connections").
describe('outgoing connections', () => {
  it('reach only loopback and the configured URLs while the graph starts, serves a customer and stops', { timeout: 90_000 }, async () => {
    // Everything that would make Apollo's libraries send data, as an operator might have it set.
    vi.stubEnv('APOLLO_TELEMETRY_DISABLED', 'false');
    vi.stubEnv('APOLLO_KEY', 'service:meridian:not-a-real-key');
    vi.stubEnv('APOLLO_GRAPH_REF', 'meridian@current');
    const recorder = recordEgress();
    const configuredUrls = [ADMIN_DATABASE_URL];
    try {
      // No OTEL_* variable: tracing stays off, as `pnpm start` and every service's main start it.
      for (const name of Object.keys(process.env).filter((key) => key.startsWith('OTEL_'))) vi.stubEnv(name, undefined);
      const { startTracing } = await import('@meridian/platform');
      const { trace } = await import('@opentelemetry/api');
      const tracing = await startTracing({ serviceName: 'meridian' });
      expect(tracing.enabled).toBe(false);
      await customerSession(configuredUrls);
      expect(trace.getTracer('egress-check').startSpan('probe').isRecording(), 'a span is recorded without an exporter').toBe(false);
      // A gateway may export what it collected once it is stopped.
      await sleep(1_000);
    } finally {
      recorder.stop();
      vi.unstubAllEnvs();
      if (process.env.EGRESS_REPORT === '1') console.log(`every target tried (count, target):\n${recorder.report()}`);
    }
    expect(recorder.unexpected(configuredUrls), 'targets outside loopback and the configured URLs').toEqual([]);
  });

  // Last in this file: the SDK it starts is global to the process.
  it('with an OTLP exporter configured, reach only it besides: no resource detector probes a cloud metadata service', { timeout: 90_000 }, async () => {
    const receiver = await startOtlpReceiver();
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', receiver.url);
    vi.stubEnv('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/json');
    vi.stubEnv('OTEL_BSP_SCHEDULE_DELAY', '100');
    const recorder = recordEgress();
    const configuredUrls = [ADMIN_DATABASE_URL, receiver.url];
    try {
      const { startTracing } = await import('@meridian/platform');
      const tracing = await startTracing({ serviceName: 'meridian' });
      expect(tracing.enabled).toBe(true);
      await customerSession(configuredUrls);
      await tracing.shutdown();
    } finally {
      recorder.stop();
      vi.unstubAllEnvs();
      await receiver.close();
      if (process.env.EGRESS_REPORT === '1') console.log(`every target tried (count, target):\n${recorder.report()}`);
    }
    expect(receiver.spans.length, 'spans exported to the configured endpoint').toBeGreaterThan(0);
    expect(recorder.unexpected(configuredUrls), 'targets outside loopback and the configured URLs').toEqual([]);
    expect(recorder.report()).not.toMatch(/169\.254\.169\.254|100\.100\.100\.200|metadata/);
  });
});
