import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { possibleTypes, typePolicies } from '@meridian/client';

/**
 * The access token lives in this closure only, never in storage a script could read later: a reload
 * starts without one and gets a new one from the refresh cookie, which no script can read at all.
 */
export interface AccessToken {
  get(): string | null;
  set(token: string | null): void;
}

export function createAccessToken(): AccessToken {
  let current: string | null = null;
  return {
    get: () => current,
    set: (token) => {
      current = token;
    },
  };
}

export function createApolloClient(routerUrl: string, accessToken: AccessToken): ApolloClient {
  return new ApolloClient({
    // possibleTypes: without them fragments on `UserError` (FailureFields) lose every field of an error.
    cache: new InMemoryCache({ possibleTypes, typePolicies }),
    link: ApolloLink.from([
      new SetContextLink(({ headers }) => {
        const token = accessToken.get();
        return token ? { headers: { ...headers, authorization: `Bearer ${token}` } } : {};
      }),
      // `include` sends the refresh cookie to the router and lets it set the cookie: the router allows
      // credentials for the origins in its CORS_ORIGINS only.
      new HttpLink({ uri: routerUrl, credentials: 'include' }),
    ]),
  });
}
