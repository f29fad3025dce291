import { describe, expect, it } from 'vitest';
import { ConfigError } from './config.js';
import { redactQuery, resourceDetectorNames, startTracing, tracingRequested } from './tracing.js';

describe('tracing configuration (OTEL_*)', () => {
  it('starts only when an exporter is configured and the SDK is not disabled', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
    expect(tracingRequested({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
    expect(tracingRequested({ OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
  });

  it('does nothing at all without an exporter', async () => {
    const tracing = await startTracing({ serviceName: 'meridian-test', env: {} });
    expect(tracing.enabled).toBe(false);
    await expect(tracing.shutdown()).resolves.toBeUndefined();
  });

  it('runs the local resource detectors only: env, host and process unless others are asked for', () => {
    expect(resourceDetectorNames({})).toEqual(['env', 'host', 'process']);
    expect(resourceDetectorNames({ OTEL_NODE_RESOURCE_DETECTORS: 'env,os' })).toEqual(['env', 'os']);
    expect(resourceDetectorNames({ OTEL_NODE_RESOURCE_DETECTORS: 'all' })).toEqual(['env', 'host', 'os', 'process', 'serviceinstance']);
    expect(resourceDetectorNames({ OTEL_NODE_RESOURCE_DETECTORS: 'none' })).toEqual([]);
    // Cloud detectors probe metadata endpoints; they are not bundled, and asking for one stops the start.
    for (const cloud of ['gcp', 'aws', 'env,azure', 'alibaba', 'container']) {
      expect(() => resourceDetectorNames({ OTEL_NODE_RESOURCE_DETECTORS: cloud })).toThrow(ConfigError);
    }
  });

  it('keeps query strings (ids, tokens) out of span URLs', () => {
    expect(redactQuery('url.full', 'http://users:4002/internal/preferences?user=01a2')).toBe('http://users:4002/internal/preferences?REDACTED');
    expect(redactQuery('url.query', '?user=01a2')).toBe('REDACTED');
    expect(redactQuery('http.target', '/graphql')).toBe('/graphql');
    expect(redactQuery('url.query', '')).toBe('');
  });
});
