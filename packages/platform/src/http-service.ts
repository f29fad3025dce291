import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { Counter } from 'prom-client';
import { ClientClosedRequestError } from './errors.js';
import type { Logger } from './logger.js';
import { METRICS_PATH, metricsRoute, type MetricsOptions } from './metrics.js';
import { runAsService } from './tracing.js';

export interface HttpReply {
  status: number;
  headers: Iterable<[string, string]>;
  body: string | AsyncIterable<string>;
}

export type GetRoute = (req: IncomingMessage) => Promise<HttpReply> | HttpReply;

/** A POST endpoint outside GraphQL (a payment provider's webhook): it gets the raw body, exactly as sent, for signature checks. */
export type PostRoute = (req: IncomingMessage, body: string) => Promise<HttpReply> | HttpReply;

export interface HttpServiceOptions {
  logger: Logger;
  host: string;
  port: number;
  maxBodyBytes: number;
  shutdownTimeoutMs: number;
  /** Plain GET endpoints (health, readiness, JWKS). They skip GraphQL entirely. */
  routes: Record<string, GetRoute>;
  /** Plain POST endpoints, with the raw body (at most `maxBodyBytes`). */
  postRoutes?: Record<string, PostRoute>;
  /**
   * Handles `/graphql`; the body is already parsed JSON (or undefined for GET). `clientGone` aborts
   * (with a `ClientClosedRequestError`) when the connection closes before the answer is sent.
   */
  graphql: (req: IncomingMessage, body: unknown, search: string, clientGone: AbortSignal) => Promise<HttpReply>;
  /**
   * Runs before each `/graphql` request is read and sets headers every answer to it carries, unless
   * the answer sets them itself (the router's CORS headers and default Cache-Control). With it,
   * OPTIONS (a CORS preflight) is answered 204 instead of 405.
   */
  beforeGraphQL?: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
  /** The service this server is (router, auth, users): the spans of its requests are attributed to it. */
  service?: string;
  /** Serves `/metrics` (see `metricsRoute`) and counts this server's requests in its registry. */
  metrics?: MetricsOptions;
  /**
   * Whether a caller's W3C trace context (`traceparent`, `tracestate`) is continued. The router sets
   * false: its callers are clients, who must neither choose trace ids nor switch sampling, and
   * `tracestate` would be a client header passed on to the subgraphs. Default true.
   */
  acceptTraceContext?: boolean;
}

export interface CloseOptions {
  /** When requests still in flight are cut off (epoch ms); by default the shutdown timeout from now. */
  drainUntil?: number;
  /**
   * Called shortly before `drainUntil` if requests are still in flight: the service fails the work
   * they wait for (queued jobs), so they still get an answer (SERVICE_UNAVAILABLE) before the cut.
   */
  abandon?: () => Promise<void>;
}

export interface RunningHttpService {
  url: string;
  port: number;
  /**
   * Stops accepting; answers every later request on an open connection with `Connection: close` and
   * closes idle connections, so keep-alive clients move on; lets in-flight requests finish until
   * `drainUntil`, then closes every connection.
   */
  close(options?: CloseOptions): Promise<void>;
}

/** Of the drain, the last part (at most this) is left for abandoned requests to be answered. */
const ABANDON_GRACE_MS = 500;

const sleepUntil = (at: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())).unref());

export const GRAPHQL_PATH = '/graphql';

export function jsonReply(status: number, value: unknown, headers: [string, string][] = []): HttpReply {
  return { status, headers: [['content-type', 'application/json; charset=utf-8'], ...headers], body: JSON.stringify(value) };
}

export function graphqlErrorReply(status: number, code: string, message: string): HttpReply {
  return jsonReply(status, { errors: [{ message, extensions: { code } }] });
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function writeReply(res: ServerResponse, reply: HttpReply): Promise<void> {
  res.statusCode = reply.status;
  for (const [name, value] of reply.headers) res.setHeader(name, value);
  if (typeof reply.body === 'string') {
    res.end(reply.body);
    return;
  }
  for await (const chunk of reply.body) res.write(chunk);
  res.end();
}

const TRACE_CONTEXT_HEADERS = ['traceparent', 'tracestate', 'baggage'];

export function startHttpService(options: HttpServiceOptions): Promise<RunningHttpService> {
  const { logger, metrics } = options;
  const routes: Record<string, GetRoute> = { ...options.routes, ...(metrics ? { [METRICS_PATH]: metricsRoute(metrics) } : {}) };
  const answered = metrics
    ? new Counter({
        name: 'meridian_http_requests_total',
        help: 'HTTP requests answered, by path (GraphQL, a route of the service, or other) and status',
        labelNames: ['path', 'status'],
        registers: [metrics.registry],
      })
    : undefined;
  const pathLabel = (pathname: string) => (pathname === GRAPHQL_PATH || Object.hasOwn(routes, pathname) || Object.hasOwn(options.postRoutes ?? {}, pathname) ? pathname : 'other');
  let inFlight = 0;
  let idle: (() => void) | undefined;
  let draining = false;
  const responding = new Set<ServerResponse>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<HttpReply> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === GRAPHQL_PATH) {
      if (options.beforeGraphQL) {
        await options.beforeGraphQL(req, res);
        if (req.method === 'OPTIONS') return { status: 204, headers: [['allow', 'GET, POST, OPTIONS']], body: '' };
      }
      if (req.method !== 'GET' && req.method !== 'POST') {
        const reply = graphqlErrorReply(405, 'BAD_REQUEST', 'Use GET or POST');
        return { ...reply, headers: [...reply.headers, ['allow', options.beforeGraphQL ? 'GET, POST, OPTIONS' : 'GET, POST']] };
      }
      let body: unknown;
      if (req.method === 'POST') {
        let text: string;
        try {
          text = await readBody(req, options.maxBodyBytes);
        } catch (error) {
          if (error instanceof BodyTooLarge) return graphqlErrorReply(413, 'BAD_REQUEST', 'Request body is too large');
          throw error;
        }
        const contentType = req.headers['content-type'] ?? '';
        if (/^application\/(graphql-response\+)?json\b/i.test(contentType)) {
          try {
            body = JSON.parse(text);
          } catch {
            return graphqlErrorReply(400, 'BAD_REQUEST', 'The request body is not valid JSON');
          }
        } else {
          body = text;
        }
      }
      const clientGone = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) clientGone.abort(new ClientClosedRequestError());
      });
      return options.graphql(req, body, url.search, clientGone.signal);
    }
    const route = req.method === 'GET' || req.method === 'HEAD' ? (Object.hasOwn(routes, url.pathname) ? routes[url.pathname] : undefined) : undefined;
    if (route) return route(req);
    const postRoute = req.method === 'POST' && options.postRoutes && Object.hasOwn(options.postRoutes, url.pathname) ? options.postRoutes[url.pathname] : undefined;
    if (postRoute) {
      try {
        return await postRoute(req, await readBody(req, options.maxBodyBytes));
      } catch (error) {
        if (error instanceof BodyTooLarge) return jsonReply(413, { error: 'Request body is too large' });
        throw error;
      }
    }
    return jsonReply(404, { error: 'Not found' });
  }

  const server = createServer((req, res) => {
    inFlight += 1;
    // A keep-alive client (the router) would otherwise keep sending requests to a draining process.
    if (draining) res.setHeader('connection', 'close');
    responding.add(res);
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const handled = options.service ? runAsService(options.service, pathLabel(pathname), () => handle(req, res)) : handle(req, res);
    handled
      .catch((error: unknown) => {
        logger.error({ err: error, path: req.url }, 'request failed before reaching GraphQL');
        return graphqlErrorReply(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      })
      .then((reply) => {
        answered?.inc({ path: pathLabel(pathname), status: String(reply.status) });
        return writeReply(res, reply);
      })
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'could not write a response');
        res.destroy();
      })
      .finally(() => {
        responding.delete(res);
        inFlight -= 1;
        if (inFlight === 0) idle?.();
      });
  });
  if (options.acceptTraceContext === false) {
    // Before any listener, and before the OpenTelemetry http instrumentation (which patches the prototype) reads them.
    server.emit = function emit(this: typeof server, event: string | symbol, ...args: unknown[]) {
      if (event === 'request') for (const name of TRACE_CONTEXT_HEADERS) delete (args[0] as IncomingMessage).headers[name];
      return Object.getPrototypeOf(this).emit.call(this, event, ...args);
    } as typeof server.emit;
  }
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({
        url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
        port,
        close: async ({ drainUntil = Date.now() + options.shutdownTimeoutMs, abandon }: CloseOptions = {}) => {
          draining = true;
          const closed = new Promise<void>((done) => server.close(() => done()));
          server.closeIdleConnections();
          // Requests under way are answered, and their connections closed after the answer.
          for (const res of responding) if (!res.headersSent) res.setHeader('connection', 'close');
          const drained = new Promise<void>((done) => (inFlight === 0 ? done() : (idle = done)));
          if (abandon) {
            const abandonAt = drainUntil - Math.min(ABANDON_GRACE_MS, Math.max(0, drainUntil - Date.now()) / 5);
            await Promise.race([drained, sleepUntil(abandonAt)]);
            if (inFlight > 0) await abandon();
          }
          await Promise.race([drained, sleepUntil(drainUntil)]);
          server.closeAllConnections();
          await closed;
        },
      });
    });
  });
}

/** Runs one HTTP request through Apollo Server, without any web framework in between. */
export async function executeGraphQL<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  req: IncomingMessage,
  body: unknown,
  search: string,
  context: () => Promise<TContext>,
  extraHeaders: [string, string][] = [],
): Promise<HttpReply> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search, body },
    context,
  });
  const replyHeaders: [string, string][] = [...response.headers, ...extraHeaders];
  return {
    status: response.status ?? 200,
    headers: replyHeaders,
    body: response.body.kind === 'complete' ? response.body.string : response.body.asyncIterator,
  };
}
