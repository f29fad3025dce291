import type { RequestBase } from '@meridian/platform';
import type { DeliveryUseCases } from './deliveries/deliveries.usecases.js';
import type { AccountErasureUseCases } from './erasure/account-erasure.usecases.js';

export interface NotificationsUseCaseSet {
  deliveries: DeliveryUseCases;
  erasure: AccountErasureUseCases;
}

/** Everything a resolver of the notifications subgraph may use, built once per request. */
export interface NotificationsContext extends RequestBase, NotificationsUseCaseSet {}

export function createNotificationsContext(base: RequestBase, useCases: NotificationsUseCaseSet): NotificationsContext {
  return { ...base, ...useCases };
}
