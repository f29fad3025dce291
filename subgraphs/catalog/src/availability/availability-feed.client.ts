import type { PersistedQueryManifest } from '@meridian/schema';
import type { AvailabilityChange } from './availability.repository.js';

export interface AvailabilityFeedPage {
  changes: AvailabilityChange[];
  next: string;
  hasMore: boolean;
}

/** The feed refused the position it was given (the inventory's data was replaced): read from the start. */
export class FeedPositionRefused extends Error {}

export type ReadAvailabilityFeed = (after: string | null, first: number) => Promise<AvailabilityFeedPage>;

/**
 * The inventory service's availability feed, read through the router like every cross-service read in
 * Meridian, with the service operation `CatalogAvailabilityChanges` of the persisted query list sent
 * exactly as listed. Public: no token.
 */
export function createAvailabilityFeedReader(options: { routerUrl: () => string; manifest: PersistedQueryManifest; timeoutMs?: number }): ReadAvailabilityFeed {
  const query = options.manifest.operations.find((operation) => operation.name === 'CatalogAvailabilityChanges')?.body;
  if (query === undefined) throw new Error('CatalogAvailabilityChanges is not in the persisted query list');
  return async (after, first) => {
    const response = await fetch(options.routerUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, operationName: 'CatalogAvailabilityChanges', variables: { after, first } }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const result = (await response.json()) as {
      data?: { availabilityChanges?: AvailabilityFeedPage | null } | null;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    const page = result.data?.availabilityChanges;
    if (page) return page;
    if (after !== null && result.errors?.some((error) => error.extensions?.code === 'BAD_USER_INPUT')) throw new FeedPositionRefused(result.errors[0]!.message);
    throw new Error(`the availability feed answered ${response.status}: ${result.errors?.map((error) => error.message).join('; ') ?? 'no data'}`);
  };
}
