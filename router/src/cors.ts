import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import { ConfigError, REQUEST_ID_HEADER } from '@meridian/platform';

/**
 * What a browser client may send besides the CORS-safelisted headers: the JSON content type, the
 * access token, Apollo Server's CSRF-prevention headers (`apollo-require-preflight`,
 * `x-apollo-operation-name`) and the client awareness headers Apollo Client 4 adds.
 */
export const CORS_ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
] as const;

/** How long a browser may reuse a preflight answer: short, so a change of `CORS_ORIGINS` reaches browsers soon. */
export const CORS_MAX_AGE_SECONDS = 600;

/**
 * Parses `CORS_ORIGINS`: comma-separated origins, each exactly `scheme://host[:port]` as a browser
 * sends it in `Origin` (lower case, no default port, no path or trailing slash). `*` is refused: the
 * router allows credentials, which browsers never combine with a wildcard, and an allow-list is the
 * point.
 */
export function parseCorsOrigins(value: string, variable = 'CORS_ORIGINS'): string[] {
  const origins = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of origins) {
    if (entry === '*') throw new ConfigError(`${variable} may not contain "*": list each origin allowed to call the API with credentials`);
    let origin: string | undefined;
    try {
      const url = new URL(entry);
      if (url.protocol === 'http:' || url.protocol === 'https:') origin = url.origin;
    } catch {
      // reported below
    }
    if (origin !== entry) {
      const hint = origin ? ` (did you mean "${origin}"?)` : '';
      throw new ConfigError(`${variable} entry "${entry}" is not an origin of the form scheme://host[:port]${hint}`);
    }
  }
  return [...new Set(origins)];
}

/**
 * Whether a browser page of `origin` (its `Origin` header) may call the API and read the answers,
 * with credentials. Anything not listed, including a missing origin and the opaque `null`, is not.
 */
export function isOriginAllowed(origin: string | undefined, allowedOrigins: readonly string[]): boolean {
  return origin !== undefined && allowedOrigins.includes(origin);
}

/**
 * Sets the CORS headers of one `/graphql` answer: for a listed origin the origin itself (never `*`),
 * credentials, the exposed request id and, on a preflight, the allowed methods and headers; for any
 * other origin nothing but `Vary: Origin`, which every answer carries so that a cache never hands one
 * origin's answer to another.
 */
export function createCorsHeaders(allowedOrigins: readonly string[]): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const listed: cors.CorsOptions = {
    origin: true,
    credentials: true,
    methods: 'GET, POST, OPTIONS',
    allowedHeaders: CORS_ALLOWED_HEADERS.join(', '),
    exposedHeaders: REQUEST_ID_HEADER,
    maxAge: CORS_MAX_AGE_SECONDS,
    // The HTTP service answers the preflight itself, whichever the origin.
    preflightContinue: true,
  };
  const middleware = cors((req, callback) => callback(null, isOriginAllowed(req.headers.origin, allowedOrigins) ? listed : { origin: false }));
  return (req, res) =>
    new Promise<void>((resolve, reject) => {
      res.setHeader('vary', 'Origin');
      middleware(req, res, (error?: unknown) => (error ? reject(error) : resolve()));
    });
}
