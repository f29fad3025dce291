/**
 * What Meridian asks of a payment provider, whichever it is (README "Payments"). Every call that moves money
 * carries the caller's idempotency key, which the adapter passes to the provider, so a retry after a lost
 * answer (or a crash) never moves money twice. Amounts are integer minor units of `currency`.
 */
export type MethodCode = 'card' | 'paypal' | 'bank_transfer';

export interface StartPayment {
  /** Meridian's payment id: sent to the provider as metadata, so its events name the payment. */
  paymentId: string;
  orderId: string;
  amountMinor: bigint;
  currency: string;
  idempotencyKey: string;
  /** A provider-side token of the shopper's payment method (Stripe's `pm_…`), never card data. */
  paymentMethodToken?: string | undefined;
  returnUrl?: string | undefined;
}

/** What the provider answered to a new payment. */
export type StartOutcome =
  | { kind: 'started'; providerRef: string; status: 'requires_action' | 'authorized' | 'captured'; clientSecret?: string; approvalUrl?: string }
  | { kind: 'declined'; providerRef: string | null; declineCode: string; message: string };

export interface MoneyMove {
  providerRef: string;
  /** The provider's capture id, where refunds name it (PayPal). */
  captureRef?: string | null;
  amountMinor: bigint;
  currency: string;
  idempotencyKey: string;
  paymentId: string;
}

/** A verified provider event, reduced to what changes a payment. */
export type PaymentEvent =
  | { kind: 'authorized'; amountMinor: bigint }
  | { kind: 'captured'; amountMinor: bigint; captureRef?: string }
  | { kind: 'failed'; code: string }
  | { kind: 'cancelled' }
  /** A refund (`refundId`: Meridian's, from the provider's metadata, when Meridian asked for it). */
  | { kind: 'refunded'; providerRefundId: string; refundId: string | null; amountMinor: bigint; status: 'succeeded' | 'failed' | 'pending' }
  /** PayPal: the shopper approved the order; Meridian captures it. */
  | { kind: 'approved' };

export interface VerifiedEvent {
  eventId: string;
  type: string;
  /** Meridian's payment id, when the event carries it (metadata); otherwise the provider's reference. */
  paymentId: string | null;
  providerRef: string | null;
  change: PaymentEvent | null;
}

export class InvalidSignature extends Error {
  override name = 'InvalidSignature';
}

export interface PaymentGateway {
  readonly method: MethodCode;
  readonly provider: 'stripe' | 'paypal' | 'offline';
  start(request: StartPayment): Promise<StartOutcome>;
  capture(move: MoneyMove): Promise<void>;
  cancel(move: Omit<MoneyMove, 'amountMinor'>): Promise<void>;
  /** Refunds `amountMinor` (a part or all of what was captured); the provider's refund id. */
  refund(move: MoneyMove & { refundId: string }): Promise<{ providerRefundId: string | null; settled: boolean }>;
  /** Verifies a webhook's signature and reads it; throws `InvalidSignature` for anything not signed by the provider. */
  parseWebhook(rawBody: string, headers: Record<string, string | undefined>): Promise<VerifiedEvent>;
}
