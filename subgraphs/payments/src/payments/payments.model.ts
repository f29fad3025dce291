import type { PaymentRow, RefundRow } from '@meridian/db/payments';
import type { MethodCode } from '../gateways/payment-gateway.js';

/** What `Payment` resolves from: the stored row. */
export type PaymentModel = PaymentRow;

/** A refund with its payment's currency, for its `amount`. */
export type RefundModel = RefundRow & { currency: string };

/** An offered method with its provider. */
export interface PaymentMethodModel {
  method: MethodCode;
  provider: 'stripe' | 'paypal' | 'offline';
}

export interface BankTransferModel {
  accountHolder: string;
  iban: string;
  bic: string;
  reference: string;
  amountMinor: bigint;
  currency: string;
}

export interface OrderReference {
  id: string;
}
