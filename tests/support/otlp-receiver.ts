import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One span as an OTLP/HTTP JSON export carried it, with its resource's service name. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client. */
  kind: number;
  service: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

export const SPAN_KIND = { server: 2, client: 3 } as const;

interface AnyValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
}
type KeyValues = { key: string; value: AnyValue }[] | undefined;

interface ExportTraceServiceRequest {
  resourceSpans?: {
    resource?: { attributes?: KeyValues };
    scopeSpans?: { spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes?: KeyValues }[] }[];
  }[];
}

function valueOf(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  return undefined;
}

const record = (attributes: KeyValues) => Object.fromEntries((attributes ?? []).map(({ key, value }) => [key, valueOf(value)]));

export interface OtlpReceiver {
  /** The base URL for OTEL_EXPORTER_OTLP_ENDPOINT (spans are posted to `/v1/traces`). */
  url: string;
  spans: ReceivedSpan[];
  /** Every request body it received, as text. */
  bodies: string[];
  /** Waits until `find` returns something for the spans received so far. */
  waitFor<T>(find: (spans: ReceivedSpan[]) => T | undefined, what: string, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/**
 * An OpenTelemetry collector's OTLP/HTTP endpoint on 127.0.0.1, for exports in JSON
 * (OTEL_EXPORTER_OTLP_PROTOCOL=http/json): it decodes every ExportTraceServiceRequest and keeps the spans.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      bodies.push(text);
      if (req.url === '/v1/traces' && req.headers['content-type']?.startsWith('application/json')) {
        const request = JSON.parse(text) as ExportTraceServiceRequest;
        for (const resourceSpans of request.resourceSpans ?? []) {
          const resource = record(resourceSpans.resource?.attributes);
          for (const scope of resourceSpans.scopeSpans ?? []) {
            for (const span of scope.spans ?? []) {
              spans.push({
                traceId: span.traceId,
                spanId: span.spanId,
                parentSpanId: span.parentSpanId || undefined,
                name: span.name,
                kind: span.kind,
                service: String(resource['service.name']),
                attributes: record(span.attributes),
                resource,
              });
            }
          }
        }
      }
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    bodies,
    async waitFor(find, what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = find(spans);
        if (found !== undefined) return found;
        if (Date.now() > deadline) {
          const received = spans.map((span) => `${span.traceId} ${span.spanId}<-${span.parentSpanId ?? 'root'} ${span.service} ${span.name} ${JSON.stringify(span.attributes).slice(0, 160)}`);
          throw new Error(`${what}: not received within ${timeoutMs} ms; spans so far:\n${received.join('\n')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
