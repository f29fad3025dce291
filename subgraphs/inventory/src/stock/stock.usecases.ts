import type { StockLocationRow } from '@meridian/db/inventory';
import { badUserInputError, isUuid, validationFailed, type Viewer } from '@meridian/platform';
import type { InventoryDb } from '../db.js';
import { locationNotFound } from '../inventory.errors.js';
import type { LedgerMismatch, LockLevelsReleasingExpired, StockLevel } from './stock.model.js';
import { DEFAULT_FEED_PAGE, MAX_FEED_PAGE, decodeFeedPosition, encodeFeedPosition, type FeedPosition } from './availability-feed.rules.js';
import type { StockRepository } from './stock.repository.js';
import { adjustmentBelowReserved, availableOf, readAdjustInput, readLocationInput, readReceiveInput, toAvailability, type Availability, type StockChange } from './stock.rules.js';

export type StockUseCases = ReturnType<typeof createStockUseCases>;

export const MAX_LEVEL_VARIANTS = 100;
export const MAX_IN_STOCK_IDS = 1_000;

const ADMIN_ROLE = 'admin';

export function createStockUseCases(deps: { db: InventoryDb; stock: StockRepository; lockLevelsReleasingExpired: LockLevelsReleasingExpired; lowStockThreshold: number }) {
  const { db, stock } = deps;

  /** Units available per variant, over every location (variants without levels are left out). */
  async function availableUnits(variantIds: readonly string[]): Promise<Map<string, number>> {
    const available = new Map<string, number>();
    for (const level of variantIds.length > 0 ? await stock.levelsOf(variantIds) : []) available.set(level.variantId, (available.get(level.variantId) ?? 0) + availableOf(level));
    return available;
  }

  async function levelAfterChange(change: StockChange): Promise<StockLevel> {
    const level = (await stock.levelsOf([change.variantId])).find((candidate) => candidate.locationId === change.locationId);
    if (!level) throw new Error('a changed stock level could not be read back');
    return level;
  }

  return {
    locations: (): Promise<StockLocationRow[]> => stock.locations(),

    async locationsByIds(ids: readonly string[]): Promise<(StockLocationRow | null)[]> {
      const byId = new Map((await stock.locationsByIds(ids.filter(isUuid))).map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    },

    async createLocation(input: { code: string; name: string }) {
      const checked = readLocationInput(input);
      if (!checked.ok) return validationFailed(checked.violations);
      const location = await stock.insertLocation(db, checked.value);
      if (!location) return validationFailed([{ field: 'code', code: 'ALREADY_TAKEN', message: `Another stock location has the code ${checked.value.code}.` }]);
      return { __typename: 'StockLocationCreated' as const, location };
    },

    /** Every level of each variant, by location code; one statement however many variants (the loaders). */
    async levelsByVariant(variantIds: readonly string[]): Promise<StockLevel[][]> {
      const valid = variantIds.filter(isUuid).map((id) => id.toLowerCase());
      const byVariant = new Map<string, StockLevel[]>();
      for (const level of valid.length > 0 ? await stock.levelsOf(valid) : []) byVariant.set(level.variantId, [...(byVariant.get(level.variantId) ?? []), level]);
      return variantIds.map((id) => byVariant.get(id.toLowerCase()) ?? []);
    },

    async levels(variantIds: readonly string[]): Promise<StockLevel[]> {
      if (variantIds.length > MAX_LEVEL_VARIANTS) throw badUserInputError(`stockLevels takes at most ${MAX_LEVEL_VARIANTS} ids`);
      const valid = variantIds.filter(isUuid).map((id) => id.toLowerCase());
      return valid.length > 0 ? stock.levelsOf(valid) : [];
    },

    /** What `viewer` may see of a variant's availability: admins the exact number, everyone else whether and whether few. */
    availability(levels: readonly StockLevel[], viewer: Viewer | null): Availability {
      const available = levels.reduce((sum, level) => sum + availableOf(level), 0);
      return toAvailability(available, { lowStockThreshold: deps.lowStockThreshold, revealQuantity: viewer?.roles.includes(ADMIN_ROLE) ?? false });
    },

    /** The ids among `ids` with at least one unit available, in the order given. */
    async inStock(ids: readonly string[]): Promise<string[]> {
      if (ids.length > MAX_IN_STOCK_IDS) throw badUserInputError(`inStockVariants takes at most ${MAX_IN_STOCK_IDS} ids`);
      const available = await availableUnits(ids.filter(isUuid).map((id) => id.toLowerCase()));
      return ids.filter((id) => (available.get(id.toLowerCase()) ?? 0) > 0);
    },

    /**
     * One part of the availability feed (README "Inventory"): a first pass over every variant with
     * levels, then the variants of every movement since the previous pass began. A pass starts at the
     * oldest transaction running when the one before it began, so a movement that commits late is read
     * in the next pass rather than lost; a variant may come again, with its state of the moment.
     */
    async availabilityChanges(after: string | null, first: number | null): Promise<{ changes: { variantId: string; inStock: boolean }[]; next: string; hasMore: boolean }> {
      const limit = first ?? DEFAULT_FEED_PAGE;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_FEED_PAGE) throw badUserInputError(`first must be between 1 and ${MAX_FEED_PAGE}`);
      const position = after === null ? null : decodeFeedPosition(after);
      if (after !== null && position === null) throw badUserInputError('after is not a position this feed handed out');

      let variantIds: string[];
      let next: FeedPosition;
      let hasMore: boolean;
      if (position === null || position.kind === 'levels') {
        const horizon = position?.horizon ?? (await stock.horizon());
        variantIds = await stock.variantsWithLevels(position?.afterVariant ?? null, limit);
        hasMore = variantIds.length === limit;
        next = hasMore ? { kind: 'levels', horizon, afterVariant: variantIds.at(-1)! } : { kind: 'ledger', from: horizon, pass: null };
      } else {
        const horizon = position.pass?.horizon ?? (await stock.horizon());
        const movements = await stock.movementsFrom(position.from, position.pass?.afterKey ?? null, limit);
        hasMore = movements.length === limit;
        const last = movements.at(-1);
        next = hasMore && last ? { kind: 'ledger', from: position.from, pass: { horizon, afterKey: { xid: last.xid, id: last.id } } } : { kind: 'ledger', from: horizon, pass: null };
        variantIds = [...new Set(movements.map((movement) => movement.variantId))];
      }
      const available = await availableUnits(variantIds);
      return { changes: variantIds.map((variantId) => ({ variantId, inStock: (available.get(variantId) ?? 0) > 0 })), next: encodeFeedPosition(next), hasMore };
    },

    async receive(input: { variantId: string; locationId: string; quantity: number; note?: string | null }) {
      const checked = readReceiveInput(input);
      if (!checked.ok) return validationFailed(checked.violations);
      const change = checked.value;
      const found = await db.transaction(async (tx) => {
        if (!(await stock.findLocation(tx, change.locationId))) return false;
        await stock.ensureLevel(tx, change.variantId, change.locationId);
        const applied = await stock.apply(tx, [{ ...change, kind: 'received' }]);
        if (applied !== 1) throw new Error('received stock was not applied');
        return true;
      });
      if (!found) return locationNotFound();
      return { __typename: 'StockLevelChanged' as const, level: await levelAfterChange(change) };
    },

    /** Corrects the units on hand; never below the units reserved (expired reservations no longer count). */
    async adjust(input: { variantId: string; locationId: string; change: number; note?: string | null }) {
      const checked = readAdjustInput(input);
      if (!checked.ok) return validationFailed(checked.violations);
      const change = checked.value;
      const outcome = await db.transaction(async (tx) => {
        if (!(await stock.findLocation(tx, change.locationId))) return locationNotFound();
        await stock.ensureLevel(tx, change.variantId, change.locationId);
        const levels = await deps.lockLevelsReleasingExpired(tx, [change.variantId]);
        const level = levels.find((candidate) => candidate.locationId === change.locationId)!;
        if ((await stock.apply(tx, [{ ...change, kind: 'adjusted' }])) !== 1) return validationFailed([adjustmentBelowReserved(level)]);
        return null;
      });
      return outcome ?? { __typename: 'StockLevelChanged' as const, level: await levelAfterChange(change) };
    },

    /** The levels whose stored quantities differ from what the movements ledger adds up to; none when all is well. */
    verifyLedger: (): Promise<LedgerMismatch[]> => stock.ledgerMismatches(),

    /** Sets every level to what the ledger adds up to; returns how many levels changed. */
    rebuildLevels: (): Promise<number> => db.transaction((tx) => stock.rebuildFromLedger(tx)),
  };
}
