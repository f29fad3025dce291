import DataLoader from 'dataloader';
import type { PaymentRow, RefundRow } from '@meridian/db/payments';
import type { RelayedByRouter, RequestBase } from '@meridian/platform';
import type { PaymentUseCases } from './payments/payments.usecases.js';

/** Per-request batching: payments and their refunds are each read in one statement per request. */
export interface PaymentLoaders {
  payment: DataLoader<string, PaymentRow | null>;
  refunds: DataLoader<string, RefundRow[]>;
  ofOrder: DataLoader<string, PaymentRow[]>;
  clearAll(): void;
}

/** Everything a resolver of the payments subgraph may use, built once per request. */
export interface PaymentsContext extends RequestBase {
  payments: PaymentUseCases;
  loaders: PaymentLoaders;
  /** The caller's access token as verified, to read the caller's own order through the router; never kept or logged. */
  accessToken: string | null;
}

export function createPaymentsContext(base: RequestBase, relayed: RelayedByRouter, payments: PaymentUseCases): PaymentsContext {
  const payment = new DataLoader((ids: readonly string[]) => payments.byIds(ids));
  const refunds = new DataLoader((ids: readonly string[]) => payments.refundsOf(ids));
  const ofOrder = new DataLoader((ids: readonly string[]) => payments.ofOrders(ids));
  return {
    ...base,
    payments,
    accessToken: base.viewer ? relayed.accessToken : null,
    loaders: {
      payment,
      refunds,
      ofOrder,
      clearAll() {
        payment.clearAll();
        refunds.clearAll();
        ofOrder.clearAll();
      },
    },
  };
}
