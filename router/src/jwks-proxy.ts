import type { JSONWebKeySet } from 'jose';

const FRESH_FOR_MS = 60_000;

/** Serves the auth service's public keys through the router, refreshed at most once a minute. */
export function createJwksProxy(url: string) {
  let cached: { keySet: JSONWebKeySet; at: number } | undefined;
  return {
    async get(): Promise<JSONWebKeySet | undefined> {
      if (cached && Date.now() - cached.at < FRESH_FOR_MS) return cached.keySet;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        if (!response.ok) return cached?.keySet;
        const keySet = (await response.json()) as JSONWebKeySet;
        if (!Array.isArray(keySet.keys)) return cached?.keySet;
        // Only public members leave the router, whatever the upstream sent.
        const keys = keySet.keys.map(({ kty, crv, x, kid, alg, use }) => ({ kty, crv, x, kid, alg, use }));
        cached = { keySet: { keys }, at: Date.now() };
        return cached.keySet;
      } catch {
        return cached?.keySet;
      }
    },
  };
}
