import autocannon from 'autocannon';
import { cpuMs } from './processes.js';

export interface LoadSpec {
  url: string;
  body: string;
  headers?: Record<string, string>;
  /** A different header set per request (e.g. a distinct token), cycled. */
  headerSets?: Record<string, string>[];
  connections: number;
  durationSeconds: number;
  /** Requests per second for all connections together (open-loop light load). */
  overallRate?: number;
  /**
   * The body of each request, when they differ (a cart or an idempotency key of their own). Called once
   * more per connection than requests are sent: autocannon builds each connection's next request ahead.
   */
  nextBody?: () => string;
  /** A fixed number of requests instead of `durationSeconds` (the rate is then over the time they took). */
  amount?: number;
  /** Whether an answer is the one expected: a 200 whose body fails it (a typed error) counts as an error. */
  accept?: (body: string) => boolean;
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** CPU-ms per successful request, per measured process. */
  cpuMsPerRequest: Record<string, number>;
}

/** Runs one load with autocannon and reads the CPU time the named processes spent meanwhile. */
export async function runLoad(spec: LoadSpec, watched: Record<string, number>): Promise<LoadResult> {
  const before = Object.fromEntries(await Promise.all(Object.entries(watched).map(async ([name, pid]) => [name, await cpuMs(pid)] as const)));
  let next = 0;
  let rejected = 0;
  const { headerSets: sets, nextBody, accept } = spec;
  const result = await autocannon({
    url: spec.url,
    method: 'POST',
    connections: spec.connections,
    // autocannon sees that the amount is done only at its next sample: once a second by default, which added up to a second to the run.
    ...(spec.amount ? { amount: spec.amount, sampleInt: 50 } : { duration: spec.durationSeconds }),
    ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
    headers: { 'content-type': 'application/json', ...spec.headers },
    body: spec.body,
    ...(sets || nextBody || accept
      ? {
          requests: [
            {
              setupRequest: (request) => ({
                ...request,
                ...(sets ? { headers: { ...request.headers, ...sets[next++ % sets.length]! } } : {}),
                ...(nextBody ? { body: nextBody() } : {}),
              }),
              ...(accept
                ? {
                    onResponse: (status: number, body: string) => {
                      if (status >= 200 && status < 300 && !accept(body)) rejected += 1;
                    },
                  }
                : {}),
            },
          ],
        }
      : {}),
  });
  const after = Object.fromEntries(await Promise.all(Object.entries(watched).map(async ([name, pid]) => [name, await cpuMs(pid)] as const)));
  const ok = result['2xx'] - rejected;
  const seconds = spec.amount ? (new Date(result.finish).getTime() - new Date(result.start).getTime()) / 1000 : spec.durationSeconds;
  return {
    requests: ok,
    requestsPerSecond: ok / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts + rejected,
    cpuMsPerRequest: Object.fromEntries(Object.keys(watched).map((name) => [name, ok > 0 ? (after[name]! - before[name]!) / ok : Number.NaN])),
  };
}

export function mean(values: number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.length ? finite.reduce((sum, value) => sum + value, 0) / finite.length : Number.NaN;
}

/** Averages the interleaved rounds of one arm. */
export function combine(results: LoadResult[]): LoadResult {
  const names = Object.keys(results[0]?.cpuMsPerRequest ?? {});
  return {
    requests: results.reduce((sum, result) => sum + result.requests, 0),
    requestsPerSecond: mean(results.map((result) => result.requestsPerSecond)),
    p50Ms: mean(results.map((result) => result.p50Ms)),
    p99Ms: mean(results.map((result) => result.p99Ms)),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
    cpuMsPerRequest: Object.fromEntries(names.map((name) => [name, mean(results.map((result) => result.cpuMsPerRequest[name]!))])),
  };
}
