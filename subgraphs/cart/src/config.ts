import { readInt, readServiceCredentials, readUrl, type ServiceCredentials } from '@meridian/platform';

type Env = Record<string, string | undefined>;

export interface CartConfig {
  port: number;
  /** The router, through which the cart reads prices (catalog), stock (inventory) and address-book entries (users). */
  routerUrl: string;
  /**
   * The cart's client credentials (`SERVICE_CLIENT_ID`, `SERVICE_CLIENT_SECRET`): with them it reads exact
   * stock levels for the quantity checks; without them it knows only whether a variant is in stock.
   */
  serviceCredentials: ServiceCredentials | undefined;
  /** How long a guest cart nobody changes is kept. */
  guestCartRetentionDays: number;
  /** How often carts past their retention are deleted. */
  housekeepingIntervalMs: number;
}

export function readCartConfig(env: Env = process.env): CartConfig {
  return {
    port: readInt(env, 'CART_PORT', 4006, { min: 0, max: 65535 }),
    routerUrl: readUrl(env, 'ROUTER_URL', 'http://localhost:4000/graphql'),
    serviceCredentials: readServiceCredentials(env),
    guestCartRetentionDays: readInt(env, 'CART_GUEST_RETENTION_DAYS', 30, { min: 1, max: 3650 }),
    housekeepingIntervalMs: readInt(env, 'CART_HOUSEKEEPING_MS', 3_600_000, { min: 1_000, max: 86_400_000 }),
  };
}
