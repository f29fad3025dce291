import { ROUTER_TOKEN_HEADER, type Logger, type RouterTokenSigner } from '@meridian/platform';

// Access tokens live at most an hour (ACCESS_TOKEN_TTL_SECONDS ≤ 3600): an ended session is
// remembered that long after it ended, then forgotten.
const RETAIN_MS = 60 * 60 * 1000 + 60_000;

export interface SessionDenylist {
  /** Whether the session was ended; checked on every request carrying an access token. */
  has(sessionId: string): boolean;
  start(): Promise<void>;
  stop(): void;
}

/**
 * The sessions the auth service has ended (logout, revocation, refresh token replay, password
 * change), polled every `refreshMs` from a transaction horizon the auth service hands back: an access
 * token of an ended session stops passing the router within about `refreshMs` plus one round trip
 * after the revoking transaction commits. If the auth service cannot be reached, the last known list
 * stays in force.
 */
export function createSessionDenylist(options: { url: () => string; signRouterToken: RouterTokenSigner; refreshMs: number; log: Logger }): SessionDenylist {
  const ended = new Map<string, number>();
  let after: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let failing = false;

  async function refresh(): Promise<void> {
    try {
      const routerToken = options.signRouterToken({ subgraph: 'auth', caller: undefined, client: { ip: null, userAgent: null } });
      const url = new URL(options.url());
      if (after !== undefined) url.searchParams.set('after', after);
      const response = await fetch(url, { headers: { [ROUTER_TOKEN_HEADER]: routerToken }, signal: AbortSignal.timeout(2_000) });
      if (!response.ok) throw new Error(`the revoked-sessions endpoint answered ${response.status}`);
      const body = (await response.json()) as { next: string; sessions: { id: string; revokedAt: number }[] };
      for (const session of body.sessions) ended.set(session.id, session.revokedAt + RETAIN_MS);
      after = body.next;
      const now = Date.now();
      for (const [id, forgetAt] of ended) if (forgetAt < now) ended.delete(id);
      if (failing) options.log.info('session denylist reachable again');
      failing = false;
    } catch (error) {
      if (!failing) options.log.warn({ err: error }, 'session denylist could not be refreshed; keeping the last list');
      failing = true;
    }
  }

  return {
    has: (sessionId) => ended.has(sessionId),
    async start() {
      await refresh();
      timer = setInterval(() => void refresh(), options.refreshMs);
      timer.unref();
    },
    stop: () => clearInterval(timer),
  };
}
