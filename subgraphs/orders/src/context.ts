import DataLoader from 'dataloader';
import type { OrderEventRow, OrderLineRow, OrderRow } from '@meridian/db/orders';
import type { RequestBase } from '@meridian/platform';
import type { CheckoutUseCases } from './checkout/checkout.usecases.js';
import type { OrderEventFeedUseCases } from './events/order-events.usecases.js';
import type { OrderUseCases } from './orders/orders.usecases.js';

/** Per-request batching: orders, their lines and their events are each read in one statement per request. */
export interface OrderLoaders {
  order: DataLoader<string, OrderRow | null>;
  lines: DataLoader<string, OrderLineRow[]>;
  events: DataLoader<string, OrderEventRow[]>;
  /** Forgets everything loaded so far: called after every write, so the fields a client selects read the new state. */
  clearAll(): void;
}

export interface OrdersUseCaseSet {
  checkout: CheckoutUseCases;
  orders: OrderUseCases;
  orderEvents: OrderEventFeedUseCases;
}

/** Everything a resolver of the orders subgraph may use, built once per request. */
export interface OrdersContext extends RequestBase, OrdersUseCaseSet {
  loaders: OrderLoaders;
}

export function createLoaders(useCases: OrdersUseCaseSet): OrderLoaders {
  const order = new DataLoader((ids: readonly string[]) => useCases.orders.byIds(ids));
  const lines = new DataLoader((ids: readonly string[]) => useCases.orders.linesOf(ids));
  const events = new DataLoader((ids: readonly string[]) => useCases.orders.eventsOf(ids));
  return {
    order,
    lines,
    events,
    clearAll() {
      order.clearAll();
      lines.clearAll();
      events.clearAll();
    },
  };
}

export function createOrdersContext(base: RequestBase, useCases: OrdersUseCaseSet): OrdersContext {
  return { ...base, ...useCases, loaders: createLoaders(useCases) };
}
