import type { OrderEventRow, OrderLineRow, OrderRow } from '@meridian/db/orders';

/** An order as GraphQL resolves it: the row (its lines and events come from the per-request loaders). */
export type OrderModel = OrderRow;

/** A line with its order's currency, so its amounts can be written as money. */
export type OrderLineModel = OrderLineRow & { currency: string };

export type OrderEventModel = OrderEventRow;

/** A page of orders (Relay cursor connection). */
export interface OrderPage {
  edges: { cursor: string; node: OrderRow }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/** A user known by id (the auth service owns it). */
export interface UserReference {
  id: string;
}

/** A variant known by id (the catalog resolves its fields). */
export interface VariantReference {
  id: string;
}

/** The `StockShortage` of an `OutOfStock` answer. */
export interface ShortageModel {
  variantId: string;
  requested: number;
  available: number;
}
