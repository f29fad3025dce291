import { LRUCache } from 'lru-cache';
import { ROUTER_TOKEN_HEADER, type Logger, type RouterTokenSigner } from '@meridian/platform';

export interface Preferences {
  locale: string | null;
  currency: string | null;
}

export interface PreferencesSource {
  /** The signed-in user's preferred locale and currency; nothing (no preference) when the users service cannot tell. */
  get(userId: string): Promise<Preferences | null>;
  /** Forgets what is known of a user, after a request through this router changed the profile. */
  forget(userId: string): void;
}

/**
 * Signed-in users' language and currency preferences, read from the users service
 * (`PREFERENCES_PATH`) and kept for `ttlMs` per user, with concurrent reads of one user shared.
 * A change made through this router is seen by the user's next request (`forget`); one made
 * through another replica within `ttlMs`.
 */
export function createPreferencesSource(options: { url: () => string | null; signRouterToken: RouterTokenSigner; ttlMs: number; log: Logger }): PreferencesSource {
  const cache = new LRUCache<string, Promise<Preferences | null>>({ max: 50_000, ttl: options.ttlMs });

  async function read(userId: string): Promise<Preferences | null> {
    const base = options.url();
    if (!base) return null;
    try {
      const routerToken = options.signRouterToken({ subgraph: 'users', caller: undefined, client: { ip: null, userAgent: null } });
      const url = new URL(base);
      url.searchParams.set('user', userId);
      const response = await fetch(url, { headers: { [ROUTER_TOKEN_HEADER]: routerToken }, signal: AbortSignal.timeout(1_000) });
      if (!response.ok) throw new Error(`the preferences endpoint answered ${response.status}`);
      return (await response.json()) as Preferences;
    } catch (error) {
      options.log.warn({ err: error }, 'preferences could not be read; the request falls back to Accept-Language and the shop default');
      cache.delete(userId);
      return null;
    }
  }

  return {
    get(userId) {
      let known = cache.get(userId);
      if (!known) {
        known = read(userId);
        cache.set(userId, known);
      }
      return known;
    },
    forget: (userId) => void cache.delete(userId),
  };
}
