import type { FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { OperationTypeNode } from 'graphql';
import { Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS, ROUTER_TOKEN_HEADER } from '@meridian/platform';
import type { SubgraphReplicas } from './subgraph-replicas.js';

type RawHeaders = Record<string, string | string[] | undefined>;

/** The read-only part of a Fetch `Headers` the gateway uses, over undici's plain header object. */
function headersOf(raw: RawHeaders): FetcherResponse['headers'] {
  const entries = (): [string, string][] =>
    Object.entries(raw).flatMap(([name, value]) => (value === undefined ? [] : [[name, Array.isArray(value) ? value.join(', ') : value]]));
  const readOnly = () => {
    throw new Error('subgraph response headers are read-only');
  };
  return {
    get: (name) => {
      const value = raw[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
    has: (name) => raw[name.toLowerCase()] !== undefined,
    entries: () => entries()[Symbol.iterator](),
    keys: () => entries().map(([name]) => name)[Symbol.iterator](),
    values: () => entries().map(([, value]) => value)[Symbol.iterator](),
    [Symbol.iterator]: () => entries()[Symbol.iterator](),
    append: readOnly,
    delete: readOnly,
    set: readOnly,
  };
}

interface Received {
  status: number;
  headers: RawHeaders;
  text: string;
}

function responseOf(url: string, { status, headers, text }: Received): FetcherResponse {
  const response: FetcherResponse = {
    url,
    status,
    ok: status >= 200 && status < 300,
    statusText: '',
    redirected: false,
    bodyUsed: true,
    headers: headersOf(headers),
    text: async () => text,
    // Parsed for each caller: the gateway merges into what it gets, so callers never share objects.
    json: async () => JSON.parse(text),
    arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer,
    clone: () => response,
  };
  return response;
}

export type SubgraphCallLatency = Histogram<'subgraph' | 'status'>;

/** `meridian_router_subgraph_request_duration_seconds{subgraph,status}`: every call the router sends a subgraph. */
export function subgraphCallLatency(registry: Registry): SubgraphCallLatency {
  return new Histogram({
    name: 'meridian_router_subgraph_request_duration_seconds',
    help: 'Calls from the router to a subgraph, by subgraph and HTTP status (error: no answer), from sending to the whole answer read',
    labelNames: ['subgraph', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
}

/** What the data source knows of a call and the gateway does not hand its fetcher. */
export interface SubgraphCall {
  /** The type of the fetch's operation, from its parsed document (undefined: unknown, treated as a mutation). */
  operation: OperationTypeNode | undefined;
}

/** The gateway's `Fetcher`, with the call; `init.signal` aborts when no client waits for the answer any more. */
export type SubgraphFetcher = (url: string, init: FetcherRequestInit | undefined, call: SubgraphCall) => Promise<FetcherResponse>;

/** Failures before a request reached any replica: sent again to another replica, a mutation too. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED']);
/** A connection lost under a request a replica may have received: sent again only if it is a query. */
const CUT_SHORT = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
/** Answers of a replica that cannot serve, or of a proxy in front of one that is gone. */
const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

interface SharedCall {
  received: Promise<Received>;
  /** Callers that can still go away and are waiting; when the last has gone, the call is aborted. */
  waiting: number;
  controller: AbortController;
}

/**
 * The gateway's `fetcher` for one subgraph: undici's request API over the keep-alive connection pools
 * of the subgraph's replicas (`SubgraphReplicas`). The gateway's default (make-fetch-happen) inspects
 * a stack trace and builds agent state on every call, and even WHATWG `fetch` allocates streams and
 * signals per call; both cost more CPU than the rest of a small request.
 *
 * Identical queries in flight at once (same subgraph, same body, same caller's tokens) share one
 * call: the subgraph computes the answer once and every waiting request gets its own copy. Only
 * queries are shared, as the data source tells from the fetch's document, never from its text.
 *
 * A call whose clients have all gone (`init.signal`) is aborted, so the subgraph sees its request
 * close; a shared one only when the last client waiting for it has gone. A call after that (a later
 * step of the same plan) is not sent at all.
 */
export function createSubgraphFetcher(replicas: SubgraphReplicas, measured?: { subgraph: string; latency: SubgraphCallLatency }): SubgraphFetcher {
  const configured = new URL(replicas.urls[0]!);
  const inFlight = new Map<string, SharedCall>();

  async function send(path: string, init: FetcherRequestInit, operation: OperationTypeNode | undefined): Promise<Received> {
    const { signal } = init;
    for (let attempt = 1; ; attempt++) {
      const timer = measured?.latency.startTimer({ subgraph: measured.subgraph });
      try {
        const response = await replicas.pool.request({ path, method: (init.method ?? 'GET') as 'GET' | 'POST', headers: init.headers, body: init.body, signal });
        const received = { status: response.statusCode, headers: response.headers, text: await response.body.text() };
        timer?.({ status: String(received.status) });
        if (UNAVAILABLE_STATUSES.has(received.status)) replicas.suspect();
        return received;
      } catch (error) {
        timer?.({ status: 'error' });
        if (signal?.aborted) throw signal.reason;
        const code = (error as { code?: unknown }).code;
        const cutShort = typeof code === 'string' && CUT_SHORT.has(code);
        if (cutShort) replicas.suspect();
        // A refused connection has already taken its replica out of the pool: the next attempt goes to another.
        const again = typeof code === 'string' && (NOT_SENT.has(code) || (cutShort && operation === OperationTypeNode.QUERY));
        if (!again || attempt >= replicas.urls.length) throw error;
      }
    }
  }

  /** Waits for a shared call as one of its callers; a caller whose signal aborts stops waiting, and the last one aborts the call. */
  function join(key: string, call: SharedCall, signal: AbortSignal | undefined): Promise<Received> {
    call.waiting += 1;
    if (!signal) return call.received;
    return new Promise((resolve, reject) => {
      const leave = () => {
        reject(signal.reason);
        call.waiting -= 1;
        if (call.waiting > 0) return;
        // Nobody waits any more: the subgraph may stop, and no later caller joins an aborted call.
        if (inFlight.get(key) === call) inFlight.delete(key);
        call.controller.abort(signal.reason);
      };
      signal.addEventListener('abort', leave, { once: true });
      call.received.then(
        (received) => {
          signal.removeEventListener('abort', leave);
          resolve(received);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', leave);
          reject(error);
        },
      );
    });
  }

  return async (requestUrl, init = {}, { operation }) => {
    init.signal?.throwIfAborted();
    const path = requestUrl === replicas.urls[0] ? configured.pathname + configured.search : new URL(requestUrl).pathname;
    const body = typeof init.body === 'string' ? init.body : undefined;
    if (body === undefined || operation !== OperationTypeNode.QUERY) return responseOf(requestUrl, await send(path, init, operation));
    const headers = init.headers ?? {};
    const key = `${path}\n${headers.authorization ?? ''}\n${headers[ROUTER_TOKEN_HEADER] ?? ''}\n${body}`;
    let call = inFlight.get(key);
    if (!call) {
      const controller = new AbortController();
      const shared: SharedCall = {
        waiting: 0,
        controller,
        received: send(path, { ...init, signal: controller.signal }, operation).finally(() => {
          if (inFlight.get(key) === shared) inFlight.delete(key);
        }),
      };
      inFlight.set(key, shared);
      call = shared;
    }
    return responseOf(requestUrl, await join(key, call, init.signal));
  };
}
