import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { parseCookie, stringifySetCookie } from 'cookie';
import { GraphQLError, Kind, getArgumentValues, getVariableValues, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { HttpReply, RefreshCookieUpdate } from '@meridian/platform';
import { isOriginAllowed } from './cors.js';

/**
 * The browser's refresh cookie (README "Clients", "Security"). `__Host-` (RFC 6265bis 4.1.3.2) makes a
 * browser accept it only with `Secure`, without `Domain` and with `Path=/`, so no other host (a sibling
 * subdomain) can set or shadow it; the prefix rules out `Path=/graphql`. `HttpOnly` keeps it from
 * scripts, `SameSite=Strict` from other sites' requests. Chromium treats `http://localhost` as a
 * secure context and keeps the cookie there too (tests/browser-app.test.ts), so development needs no
 * exception.
 */
export const REFRESH_COOKIE_NAME = '__Host-meridian_refresh';

/** The subgraph that issues sessions: the only one the cookie is relayed to, and whose cookie updates the router honours. */
export const REFRESH_COOKIE_SUBGRAPH = 'auth';

// A refresh token is 43 characters; a longer value is not relayed (it cannot be one).
const MAX_RELAYED_LENGTH = 256;

/** The refresh cookie of one client request, and what the auth service asked the router to do with it. */
export interface RefreshCookieExchange {
  /** Whether the request carries the cookie. */
  carried: boolean;
  /**
   * Whether the request may use or receive the cookie: it comes from an origin listed in CORS_ORIGINS
   * (its `Origin`), or from the API's own origin (`Sec-Fetch-Site: same-origin`, which only a browser sets).
   */
  originAllowed: boolean;
  /** The cookie's value, relayed to the auth service: only when carried by a request whose origin may use it. */
  relayed: string | undefined;
  /** Set from the auth service's answers: store a new refresh token in the cookie, or delete it. */
  update: RefreshCookieUpdate | undefined;
}

export function readRefreshCookie(req: IncomingMessage, allowedOrigins: readonly string[]): RefreshCookieExchange {
  const header = req.headers.cookie;
  const value = header ? parseCookie(header)[REFRESH_COOKIE_NAME] : undefined;
  const originAllowed = isOriginAllowed(req.headers.origin, allowedOrigins) || req.headers['sec-fetch-site'] === 'same-origin';
  const relayable = originAllowed && value !== undefined && value !== '' && value.length <= MAX_RELAYED_LENGTH;
  return { carried: value !== undefined && value !== '', originAllowed, relayed: relayable ? value : undefined, update: undefined };
}

/** The `Set-Cookie` for an update: the token until it expires, or an empty value with `Max-Age=0`, which deletes the cookie. */
export function refreshCookieHeader(update: RefreshCookieUpdate): string {
  return stringifySetCookie({
    name: REFRESH_COOKIE_NAME,
    value: update.action === 'store' ? update.token : '',
    maxAge: update.action === 'store' ? update.maxAgeSeconds : 0,
    path: '/',
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
  });
}

/** The reply with the cookie update the auth service asked for, written only for a request whose origin may receive it. */
export function withRefreshCookie(reply: HttpReply, exchange: RefreshCookieExchange): HttpReply {
  if (!exchange.update || !exchange.originAllowed) return reply;
  return { ...reply, headers: [...reply.headers, ['set-cookie', refreshCookieHeader(exchange.update)]] };
}

/** Mutations that read the cookie when given no `refreshToken`, and those that store a token in it with `tokenDelivery: COOKIE`. */
const COOKIE_READERS = new Set(['refreshSession', 'logout']);
const COOKIE_WRITERS = new Set(['login', 'verifyEmail', 'resetPassword', 'refreshSession']);

/** The root fields an operation may run, through its fragments; `@skip` and `@include` are ignored, so a field that might run counts. */
function* rootFields(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, spread = new Set<string>()): Generator<FieldNode> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      yield selection;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      yield* rootFields(selection.selectionSet, fragments, spread);
    } else if (!spread.has(selection.name.value)) {
      spread.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) yield* rootFields(fragment.selectionSet, fragments, spread);
    }
  }
}

const REFRESH_COOKIE_ORIGIN_MESSAGE =
  'The refresh cookie is used and set only for requests from an allowed origin: an Origin listed in CORS_ORIGINS, or the API\'s own origin (Sec-Fetch-Site: same-origin)';

/**
 * CSRF protection of the cookie (with Apollo Server's CSRF prevention, which already makes a browser
 * preflight every request): a request that carries the cookie and runs `refreshSession` or `logout`
 * without a token argument, or that asks for `tokenDelivery: COOKIE`, must come from an allowed origin;
 * otherwise it is refused whole with a 403 before anything runs. Decided from the resolved operation
 * and its coerced arguments, variables and defaults included. The cookie is not even relayed for such
 * a request, so a shape this check missed still could not use it.
 */
export function refreshCookieOriginPlugin<TContext extends BaseContext & { refreshCookie: RefreshCookieExchange }>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, schema, request, contextValue }) {
          const exchange = contextValue.refreshCookie;
          const mutationType = schema.getMutationType();
          if (exchange.originAllowed || operation?.operation !== 'mutation' || !mutationType) return;
          const fragments = new Map(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])));
          const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          // Variables that do not coerce stop the operation before it runs.
          if (variables.errors) return;
          for (const field of rootFields(operation.selectionSet, fragments)) {
            const name = field.name.value;
            const definition = mutationType.getFields()[name];
            if (!definition || (!COOKIE_READERS.has(name) && !COOKIE_WRITERS.has(name))) continue;
            const args = getArgumentValues(definition, field, variables.coerced);
            const readsCookie = exchange.carried && COOKIE_READERS.has(name) && args.refreshToken == null;
            const writesCookie = COOKIE_WRITERS.has(name) && args.tokenDelivery === 'COOKIE';
            if (readsCookie || writesCookie) {
              throw new GraphQLError(REFRESH_COOKIE_ORIGIN_MESSAGE, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
            }
          }
        },
      };
    },
  };
}
