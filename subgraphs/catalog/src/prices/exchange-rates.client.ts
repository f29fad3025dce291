import type { Logger } from '@meridian/platform';
import type { PersistedQueryManifest } from '@meridian/schema';

/** A rate as the localization service answers it: 1 `from` = `rate` `to` on `asOf`. */
export interface ExchangeRate {
  id: string;
  rate: string;
  asOf: string;
}

export type ExchangeRateLookup = (from: string, to: string) => Promise<ExchangeRate | null>;

/** Rates are published once a day; a page converts with the rate it was given for this long. */
export const RATE_CACHE_MS = 5 * 60_000;
/** How long an unknown rate (or a failed call) is remembered, so a page does not ask again per product. */
export const MISSING_RATE_CACHE_MS = 10_000;

/**
 * Exchange rates, asked of the localization service (which owns them) through the router, as every
 * cross-service read in Meridian goes through the graph. The operation is the service operation
 * `CatalogExchangeRate` of the persisted query list, sent exactly as listed, so a router that runs only
 * listed operations runs it too. Answers are kept per currency pair for `RATE_CACHE_MS`; a call that
 * fails yields no rate (the price is then null) rather than failing the page.
 */
export function createExchangeRateLookup(options: { routerUrl: () => string; manifest: PersistedQueryManifest; log: Logger; timeoutMs?: number }): ExchangeRateLookup {
  const query = options.manifest.operations.find((operation) => operation.name === 'CatalogExchangeRate')?.body;
  if (query === undefined) throw new Error('CatalogExchangeRate is not in the persisted query list');
  const cache = new Map<string, { until: number; rate: Promise<ExchangeRate | null> }>();

  async function ask(from: string, to: string): Promise<ExchangeRate | null> {
    const response = await fetch(options.routerUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, operationName: 'CatalogExchangeRate', variables: { from, to } }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 2_000),
    });
    const result = (await response.json()) as { data?: { exchangeRate?: { __typename: string } & Partial<ExchangeRate> } };
    const answer = result.data?.exchangeRate;
    if (answer?.__typename !== 'ExchangeRate' || !answer.id || !answer.rate || !answer.asOf) return null;
    return { id: answer.id, rate: answer.rate, asOf: answer.asOf };
  }

  return (from, to) => {
    const key = `${from}:${to}`;
    const cached = cache.get(key);
    if (cached && cached.until > Date.now()) return cached.rate;
    const entry = { until: Date.now() + MISSING_RATE_CACHE_MS, rate: Promise.resolve<ExchangeRate | null>(null) };
    entry.rate = ask(from, to).then(
      (rate) => {
        if (rate) entry.until = Date.now() + RATE_CACHE_MS;
        return rate;
      },
      (error: unknown) => {
        options.log.warn({ err: error, from, to }, 'no exchange rate could be read; converted prices are left out');
        return null;
      },
    );
    cache.set(key, entry);
    return entry.rate;
  };
}
