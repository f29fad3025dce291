import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { context, createContextKey, trace, type Context } from '@opentelemetry/api';
import { RPCType, getRPCMetadata } from '@opentelemetry/core';
// Only the API (a no-op without an SDK) is loaded with this module: the SDK, its exporters and
// instrumentations are imported by startTracing, and only when an exporter is configured.
import type { Resource, ResourceDetector } from '@opentelemetry/resources';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { ConfigError } from './config.js';
import { GRAPHQL_PATH } from './http-service.js';

type Env = Record<string, string | undefined>;

/** The span attribute naming the Meridian service (router, auth, users) that handled a span's request. */
export const SERVICE_ATTRIBUTE = 'meridian.service';

const SERVICE_KEY = createContextKey(SERVICE_ATTRIBUTE);

/**
 * Resource detectors that read only this process and its machine. Cloud detectors (AWS, GCP, Azure,
 * Alibaba, containers) probe metadata endpoints over the network and are not bundled.
 */
const LOCAL_DETECTORS = ['env', 'host', 'os', 'process', 'serviceinstance'] as const;
type LocalDetector = (typeof LOCAL_DETECTORS)[number];
const DEFAULT_DETECTORS: LocalDetector[] = ['env', 'host', 'process'];
const isLocalDetector = (name: string): name is LocalDetector => (LOCAL_DETECTORS as readonly string[]).includes(name);

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

/**
 * Whether the operator configured a trace exporter: an OTLP endpoint or OTEL_TRACES_EXPORTER, and the
 * SDK not switched off (OTEL_SDK_DISABLED=true, OTEL_TRACES_EXPORTER=none). Otherwise no SDK starts.
 */
export function tracingRequested(env: Env = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = list(env.OTEL_TRACES_EXPORTER);
  // As NodeSDK reads it: "none" first means none.
  if (exporters[0] === 'none') return false;
  return exporters.length > 0 || Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()) || Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

/** OTEL_NODE_RESOURCE_DETECTORS, limited to the local detectors: env, host and process unless it names others. */
export function resourceDetectorNames(env: Env = process.env): LocalDetector[] {
  const names = list(env.OTEL_NODE_RESOURCE_DETECTORS);
  if (names.length === 0) return DEFAULT_DETECTORS;
  if (names.includes('none')) return [];
  if (names.includes('all')) return [...LOCAL_DETECTORS];
  return names.map((name) => {
    if (!isLocalDetector(name)) {
      throw new ConfigError(
        `OTEL_NODE_RESOURCE_DETECTORS names "${name}": Meridian bundles only ${LOCAL_DETECTORS.join(', ')} (cloud detectors, which probe metadata endpoints, are not included)`,
      );
    }
    return name;
  });
}

/** A copy of `span` reported under another resource. */
function withResource(span: ReadableSpan, resource: Resource): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    attributes: span.attributes,
    links: span.links,
    events: span.events,
    duration: span.duration,
    ended: span.ended,
    resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

// Attributes of the http and undici instrumentations that carry a URL's query string (new and old conventions).
const URL_ATTRIBUTES = ['url.full', 'url.query', 'http.url', 'http.target'];

/**
 * A URL's query string replaced by REDACTED (as OpenTelemetry's conventions suggest for sensitive
 * parts): services pass ids in queries (`/internal/preferences?user=…`), and ids are personal data.
 */
export function redactQuery(name: string, value: string): string {
  if (name === 'url.query') return value === '' ? value : 'REDACTED';
  const query = value.indexOf('?');
  return query === -1 ? value : `${value.slice(0, query)}?REDACTED`;
}

/**
 * Gives every span the Meridian service it belongs to (from the request it is part of) and, where one
 * process hosts several services (`pnpm start`), reports it under that service's name, so a trace
 * still reads router → auth → SQL as separate services. Query strings are redacted from URLs. The
 * span processors built from the environment receive the spans.
 */
class ServiceAttribution implements SpanProcessor {
  private readonly resources = new Map<string, Resource>();

  constructor(
    private readonly inner: SpanProcessor[],
    private readonly processServiceName: string,
    private readonly nameServices: boolean,
    private readonly renamed: (base: Resource, name: string) => Resource,
  ) {}

  onStart(span: Span, parentContext: Context): void {
    const service = parentContext.getValue(SERVICE_KEY);
    if (typeof service === 'string') span.setAttribute(SERVICE_ATTRIBUTE, service);
    for (const name of URL_ATTRIBUTES) {
      const value = span.attributes[name];
      if (typeof value === 'string') span.setAttribute(name, redactQuery(name, value));
    }
    for (const processor of this.inner) processor.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    const service = span.attributes[SERVICE_ATTRIBUTE];
    const name = this.nameServices && typeof service === 'string' ? serviceName(service) : this.processServiceName;
    const reported = name === this.processServiceName ? span : withResource(span, this.resourceOf(span.resource, name));
    for (const processor of this.inner) processor.onEnd(reported);
  }

  private resourceOf(base: Resource, name: string): Resource {
    let resource = this.resources.get(name);
    if (!resource) {
      resource = this.renamed(base, name);
      this.resources.set(name, resource);
    }
    return resource;
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.inner.map((processor) => processor.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.inner.map((processor) => processor.shutdown()));
  }
}

/** The OpenTelemetry service name of a Meridian service: `meridian-router`, `meridian-auth`, … */
export const serviceName = (service: string) => `meridian-${service}`;

/** Only client requests and calls that carry a trace are traced: health probes, scrapes and polls are not. */
function untraced(req: IncomingMessage): boolean {
  return new URL(req.url ?? '/', 'http://localhost').pathname !== GRAPHQL_PATH && req.headers.traceparent === undefined;
}

export interface Tracing {
  /** Whether spans are recorded and exported (an exporter is configured). */
  enabled: boolean;
  /** Exports what is buffered and stops the SDK; resolves at once when tracing is off. */
  shutdown(): Promise<void>;
}

let active = false;

/**
 * Starts OpenTelemetry tracing for this process when the standard OTEL_* variables configure an
 * exporter (see `tracingRequested`), and does nothing otherwise: no SDK, no detector, no connection.
 * Spans: every request a service serves (node:http), every call it makes with undici (the router's
 * subgraph calls, the JWKS) inside one, and every SQL statement (@meridian/db). Only W3C trace
 * context is propagated, never baggage. `serviceName` names this process; with `OTEL_SERVICE_NAME`
 * unset, a process serving several services reports each span under its service's own name.
 */
export async function startTracing(options: { serviceName: string; env?: Env }): Promise<Tracing> {
  const env = options.env ?? process.env;
  if (!tracingRequested(env)) return { enabled: false, shutdown: async () => {} };
  const detectorNames = resourceDetectorNames(env);
  const [{ W3CTraceContextPropagator }, { HttpInstrumentation }, { UndiciInstrumentation }, resources, { NodeSDK }, { getSpanProcessorsFromEnv }] = await Promise.all([
    import('@opentelemetry/core'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-node'),
    // NodeSDK's own set-up of the exporters from OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_* and OTEL_BSP_*,
    // not in its index: called here so the processors can be wrapped (the version is pinned exactly;
    // tests/observability.test.ts exports through it).
    import('@opentelemetry/sdk-node/build/src/utils.js'),
  ]);
  const detectors: Record<LocalDetector, ResourceDetector> = {
    env: resources.envDetector,
    host: resources.hostDetector,
    os: resources.osDetector,
    process: resources.processDetector,
    serviceinstance: resources.serviceInstanceIdDetector,
  };
  const configuredName = env.OTEL_SERVICE_NAME?.trim();
  const processServiceName = configuredName || options.serviceName;
  const renamed = (base: Resource, name: string) => base.merge(resources.resourceFromAttributes({ 'service.name': name }));
  const sdk = new NodeSDK({
    serviceName: processServiceName,
    resourceDetectors: detectorNames.map((name) => detectors[name]),
    // Traces only: metrics are served to Prometheus (/metrics) and logs go to standard output.
    metricReaders: [],
    logRecordProcessors: [],
    spanProcessors: [new ServiceAttribution(getSpanProcessorsFromEnv(undefined), processServiceName, !configuredName, renamed)],
    // Not OTEL_PROPAGATORS: baggage would carry whatever a caller sent on to the next service.
    textMapPropagator: new W3CTraceContextPropagator(),
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: untraced, requireParentforOutgoingSpans: true }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
    ],
  });
  sdk.start();
  // The http instrumentation patches node:http when it is next required; this process loaded it as an
  // ES module already, which require-in-the-middle never sees. Requiring it now applies the patch
  // (to http.Server.prototype, shared by every server, whenever it was created).
  createRequire(import.meta.url)('node:http');
  active = true;
  return {
    enabled: true,
    shutdown: async () => {
      active = false;
      await sdk.shutdown();
    },
  };
}

/**
 * Runs a service's handling of one request to `route` (a path it serves, or `other`): its spans (and
 * the request's own span, then named e.g. `POST /graphql`) are attributed to `service`. Costs nothing
 * while tracing is off.
 */
export function runAsService<T>(service: string, route: string, fn: () => T): T {
  if (!active) return fn();
  const current = context.active();
  trace.getSpan(current)?.setAttribute(SERVICE_ATTRIBUTE, service);
  const rpc = getRPCMetadata(current);
  if (rpc?.type === RPCType.HTTP && route.startsWith('/')) rpc.route = route;
  return context.with(current.setValue(SERVICE_KEY, service), fn);
}
