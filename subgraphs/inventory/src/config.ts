import { readInt } from '@meridian/platform';

type Env = Record<string, string | undefined>;

export interface InventoryConfig {
  port: number;
  /** Shoppers see `lowStock` when at most this many units are available (and more than none). */
  lowStockThreshold: number;
  /** How long a reservation holds its units when `reserve` names no `ttl`. */
  reservationTtlSeconds: number;
  /** How often expired reservations are released (they stop counting at expiry whether or not this has run). */
  expirySweepMs: number;
}

export function readInventoryConfig(env: Env = process.env): InventoryConfig {
  return {
    port: readInt(env, 'INVENTORY_PORT', 4005, { min: 0, max: 65535 }),
    lowStockThreshold: readInt(env, 'INVENTORY_LOW_STOCK_THRESHOLD', 5, { min: 0, max: 1_000_000 }),
    reservationTtlSeconds: readInt(env, 'INVENTORY_RESERVATION_TTL_SECONDS', 900, { min: 10, max: 86_400 }),
    expirySweepMs: readInt(env, 'INVENTORY_EXPIRY_SWEEP_MS', 10_000, { min: 100, max: 3_600_000 }),
  };
}
