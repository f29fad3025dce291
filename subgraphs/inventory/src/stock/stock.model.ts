import type { InventoryTransaction } from '../db.js';
import type { MovementKind } from './stock.rules.js';

/** A stock level as answered: `reserved` counts only reservations that have not expired. */
export interface StockLevel {
  variantId: string;
  locationId: string;
  onHand: number;
  reserved: number;
}

/** A level locked by a transaction, with its location's code (reservations take from locations in code order). */
export interface LockedLevel extends StockLevel {
  locationCode: string;
}

/** One entry to append to the ledger; `quantity` is signed for `adjusted`. */
export interface Movement {
  variantId: string;
  locationId: string;
  kind: MovementKind;
  quantity: number;
  reservationId?: string | null;
  note?: string | null;
}

/** A level whose stored quantities differ from what its ledger adds up to. */
export interface LedgerMismatch {
  variantId: string;
  locationId: string;
  stored: { onHand: number; reserved: number };
  ledger: { onHand: number; reserved: number };
}

/** A `ProductVariant` as this service knows it: by id (the catalog service owns the rest). */
export interface VariantReference {
  id: string;
}

/**
 * Locks the levels of these variants for the rest of the transaction, in the one lock order, after
 * releasing the reservations on them whose time is up; returns the levels as they then are.
 */
export type LockLevelsReleasingExpired = (tx: InventoryTransaction, variantIds: readonly string[]) => Promise<LockedLevel[]>;
