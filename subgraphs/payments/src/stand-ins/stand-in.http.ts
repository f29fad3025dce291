import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A recorded response body (fixtures/): a fresh deep copy each time, to fill in. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as T;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (request: { method: string; path: string; query: URLSearchParams; headers: IncomingMessage['headers']; body: string }) => Promise<Reply> | Reply;

/** When a stand-in sends the webhook of a change: before its API answer (the race the issue names), after it, or only when the test says. */
export type Delivery = 'before-response' | 'after-response' | 'manual';

export interface SignedWebhook {
  body: string;
  headers: Record<string, string>;
}

export async function listen(handler: Handler): Promise<{ server: Server; url: string }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      Promise.resolve()
        .then(() => handler({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }))
        .catch((error: unknown): Reply => ({ status: 500, body: { error: { type: 'api_error', message: error instanceof Error ? error.message : 'stand-in failure' } } }))
        .then((reply) => {
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
          res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
        });
    });
  });
  // Loopback only: a stand-in is never reachable from outside the machine.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** POSTs a signed webhook; the receiver's status, or 0 when it could not be reached. */
export async function post(url: string, webhook: SignedWebhook): Promise<number> {
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...webhook.headers }, body: webhook.body, signal: AbortSignal.timeout(15_000) });
    await response.text();
    return response.status;
  } catch {
    return 0;
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz';
export function randomId(length: number, alphabet = ALPHABET): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return [...bytes].map((byte) => alphabet[byte % alphabet.length]).join('');
}
