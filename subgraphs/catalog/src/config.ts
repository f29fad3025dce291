import { readInt, readUrl } from '@meridian/platform';

type Env = Record<string, string | undefined>;

export interface CatalogConfig {
  port: number;
  /** The router, through which exchange rates are read from the localization service. */
  routerUrl: string;
  /** How often the copy of which variants are in stock (the `inStock` filter) is brought up to date from the inventory. */
  availabilityPollMs: number;
}

export function readCatalogConfig(env: Env = process.env): CatalogConfig {
  return {
    port: readInt(env, 'CATALOG_PORT', 4004, { min: 0, max: 65535 }),
    routerUrl: readUrl(env, 'ROUTER_URL', 'http://localhost:4000/graphql'),
    availabilityPollMs: readInt(env, 'CATALOG_AVAILABILITY_POLL_MS', 2_000, { min: 50, max: 3_600_000 }),
  };
}
