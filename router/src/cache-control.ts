import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/** Anything the response may not be kept for: user data, errors, mutations, every POST. */
export const NOT_CACHEABLE = 'no-store';
/** A GET answer that is not public: a browser must not keep it either, nor a shared cache. */
export const PRIVATE_NOT_CACHEABLE = 'private, no-store';
/** What a cached public answer must be keyed by: everything the router resolves the locale and currency from. */
export const PUBLIC_VARY = 'Origin, Accept-Language, X-Meridian-Locale, X-Meridian-Currency, Authorization';

/**
 * The `Cache-Control` of each answer. The subgraphs compute a policy from their `@cacheControl` hints
 * (Apollo Server's cache-control plugin) and send it as their own `Cache-Control`; the gateway folds
 * every subgraph answer into the request's overall policy (its `honorSubgraphCacheControlHeader`,
 * where an answer without a max-age makes the whole response uncacheable). Only a successful GET whose
 * every field is hinted public gets `public, max-age`; any other GET `private, no-store`, even one with
 * a private max-age, since everything private here is someone's account; POST answers and errors
 * `no-store`.
 */
export function cacheControlPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response, overallCachePolicy }) {
          let value = NOT_CACHEABLE;
          if (request.http?.method === 'GET' && response.body.kind === 'single' && !response.body.singleResult.errors) {
            const policy = overallCachePolicy.policyIfCacheable();
            value = policy?.scope === 'PUBLIC' ? `public, max-age=${policy.maxAge}` : PRIVATE_NOT_CACHEABLE;
            // A public answer still depends on the request's locale and currency (formatted amounts,
            // `extensions.context`), which the router resolves from these headers and the signed-in user.
            if (policy?.scope === 'PUBLIC') response.http.headers.set('vary', PUBLIC_VARY);
          }
          response.http.headers.set('cache-control', value);
        },
      };
    },
  };
}
