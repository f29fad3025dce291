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
  const sets = spec.headerSets;
  const result = await autocannon({
    url: spec.url,
    method: 'POST',
    connections: spec.connections,
    duration: spec.durationSeconds,
    ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
    headers: { 'content-type': 'application/json', ...spec.headers },
    body: spec.body,
    ...(sets
      ? {
          requests: [
            {
              setupRequest: (request) => {
                const headers = sets[next++ % sets.length]!;
                return { ...request, headers: { ...request.headers, ...headers } };
              },
            },
          ],
        }
      : {}),
  });
  const after = Object.fromEntries(await Promise.all(Object.entries(watched).map(async ([name, pid]) => [name, await cpuMs(pid)] as const)));
  const ok = result['2xx'];
  return {
    requests: ok,
    requestsPerSecond: ok / spec.durationSeconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
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
