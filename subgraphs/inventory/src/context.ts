import DataLoader from 'dataloader';
import type { StockLocationRow } from '@meridian/db/inventory';
import type { RequestBase } from '@meridian/platform';
import type { ReservationUseCases } from './reservations/reservations.usecases.js';
import type { StockLevel } from './stock/stock.model.js';
import type { StockUseCases } from './stock/stock.usecases.js';

/** Everything a resolver of the inventory subgraph may use, built once per request. */
export interface InventoryContext extends RequestBase {
  loaders: InventoryLoaders;
  stock: StockUseCases;
  reservations: ReservationUseCases;
}

/** One statement per batch, whatever the number of variants or locations asked for. */
export interface InventoryLoaders {
  /** Every level of a variant (the `_entities` of `ProductVariant` resolve through this). */
  levelsByVariant: DataLoader<string, StockLevel[]>;
  locationById: DataLoader<string, StockLocationRow | null>;
}

export function createLoaders(stock: StockUseCases): InventoryLoaders {
  return {
    levelsByVariant: new DataLoader((variantIds) => stock.levelsByVariant(variantIds)),
    locationById: new DataLoader((ids) => stock.locationsByIds(ids)),
  };
}
