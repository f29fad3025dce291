import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import { Counter, Histogram, collectDefaultMetrics, register, type Registry } from 'prom-client';
import type { HttpReply } from './http-service.js';

export const METRICS_PATH = '/metrics';

/** Latency buckets (seconds) of requests and calls: 5 ms … 10 s. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * prom-client's default registry holds what belongs to the process rather than to one service: Node's
 * own metrics (CPU, memory, heap, event loop, GC; the standard `process_*` and `nodejs_*` names) and
 * the database pool's (@meridian/db). Every service's `/metrics` serves it before its own metrics.
 */
function processRegistry(): Registry {
  if (!register.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics({ register });
  return register;
}

export interface MetricsOptions {
  /** This service's own metrics. */
  registry: Registry;
  /** `METRICS_TOKEN`: when set, a scrape must send it as a bearer token. */
  token: string | undefined;
  /** In production a process serves metrics only behind a token. */
  production: boolean;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time. */
function bearerMatches(req: IncomingMessage, token: string): boolean {
  const match = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

const notFound: HttpReply = { status: 404, headers: [['content-type', 'application/json; charset=utf-8']], body: JSON.stringify({ error: 'Not found' }) };

/**
 * `GET /metrics` in Prometheus' text format. Production without `METRICS_TOKEN` serves no metrics
 * (404, as if there were no such path): the router's port is public, and the metrics tell the
 * operations, error rates and load of the service. With a token, a scrape without it gets 401.
 */
export function metricsRoute(options: MetricsOptions): (req: IncomingMessage) => Promise<HttpReply> {
  const { registry, token, production } = options;
  return async (req) => {
    if (token === undefined && production) return notFound;
    if (token !== undefined && !bearerMatches(req, token)) {
      return { status: 401, headers: [['www-authenticate', 'Bearer realm="metrics"'], ['content-type', 'text/plain; charset=utf-8']], body: 'Unauthorized\n' };
    }
    const process = processRegistry();
    const body = `${await process.metrics()}\n${await registry.metrics()}`;
    return { status: 200, headers: [['content-type', process.contentType], ['cache-control', 'no-store']], body };
  };
}

/** Maps an operation name to a metric label: a bounded set of values, whatever names clients send. */
export type OperationLabel = (name: string | null | undefined) => string;

/** Any name outside the known or first-seen set. */
export const OTHER_OPERATION = 'other';
export const ANONYMOUS_OPERATION = 'anonymous';

/** Names of the shipped operations (the persisted query list) keep their name; any other is `other`. */
export function knownOperationLabels(names: Iterable<string>): OperationLabel {
  const known = new Set(names);
  return (name) => (!name ? ANONYMOUS_OPERATION : known.has(name) ? name : OTHER_OPERATION);
}

// The gateway names what it sends a subgraph after the client's operation: `Me__users__1`.
const PLANNED_NAME = /^(.+?)__[A-Za-z0-9_-]+__\d+$/;

/**
 * For a subgraph, which has no list of the clients' operations: the client operation the router planned
 * the call for (without the gateway's suffix), the first `max` distinct names as they come, then `other`.
 */
export function firstSeenOperationLabels(max = 50): OperationLabel {
  const seen = new Set<string>();
  return (name) => {
    if (!name) return ANONYMOUS_OPERATION;
    const operation = PLANNED_NAME.exec(name)?.[1] ?? name;
    if (seen.has(operation)) return operation;
    if (seen.size >= max) return OTHER_OPERATION;
    seen.add(operation);
    return operation;
  };
}

// Error codes are ours or Apollo's (SCREAMING_SNAKE_CASE); anything else would be an unbounded label.
const codeLabel = (code: unknown) => (typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : 'OTHER');

/**
 * Requests, errors (by code, as the client sees them) and latency per operation, recorded in
 * `registry`: `meridian_graphql_requests_total{operation,type,result}`,
 * `meridian_graphql_errors_total{operation,code}`, `meridian_graphql_request_duration_seconds{operation,type}`.
 * The request's span (when traced) gets the operation's name and type.
 */
export function graphqlMetricsPlugin<TContext extends BaseContext>(registry: Registry, label: OperationLabel): ApolloServerPlugin<TContext> {
  const requests = new Counter({
    name: 'meridian_graphql_requests_total',
    help: 'GraphQL requests answered, by operation, operation type and result (ok, or error when the answer has errors)',
    labelNames: ['operation', 'type', 'result'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'meridian_graphql_errors_total',
    help: 'Errors in GraphQL answers, by operation and error code',
    labelNames: ['operation', 'code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'meridian_graphql_request_duration_seconds',
    help: 'Time from the start of a GraphQL request to its answer, by operation and operation type',
    labelNames: ['operation', 'type'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  return {
    async requestDidStart({ request }) {
      const started = performance.now();
      const span = trace.getActiveSpan();
      let operation = label(request.operationName);
      let type = 'unknown';
      return {
        async didResolveOperation({ operation: definition, operationName }) {
          operation = label(operationName);
          type = definition?.operation ?? 'unknown';
          span?.setAttributes({ 'graphql.operation.type': type, ...(operationName ? { 'graphql.operation.name': operationName } : {}) });
        },
        async willSendResponse({ response }) {
          const answered = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          requests.inc({ operation, type, result: answered.length > 0 ? 'error' : 'ok' });
          duration.observe({ operation, type }, (performance.now() - started) / 1000);
          for (const error of answered) errors.inc({ operation, code: codeLabel(error.extensions?.code) });
        },
      };
    },
  };
}
