import Stripe from 'stripe';
import { InvalidSignature, type MoneyMove, type PaymentGateway, type StartOutcome, type StartPayment, type VerifiedEvent } from './payment-gateway.js';

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  /** Where the API is: Stripe's own by default, the loopback stand-in in test mode. */
  apiBaseUrl: URL;
  captureMethod: 'automatic' | 'manual';
}

type Intent = { id: string; status: string; client_secret?: string | null; metadata?: Record<string, string>; amount: number; amount_received?: number; amount_capturable?: number; last_payment_error?: { code?: string; decline_code?: string } | null };
type RefundObject = { id: string; amount: number; status: string | null; payment_intent?: string | { id: string } | null; metadata?: Record<string, string> | null };

const STATUS: Record<string, 'requires_action' | 'authorized' | 'captured'> = {
  requires_payment_method: 'requires_action',
  requires_confirmation: 'requires_action',
  requires_action: 'requires_action',
  processing: 'requires_action',
  requires_capture: 'authorized',
  succeeded: 'captured',
};

/** Cards through Stripe's official SDK: PaymentIntents, refunds, and webhooks verified by `stripe.webhooks.constructEvent`. */
export function createStripeGateway(settings: StripeSettings): PaymentGateway {
  const port = settings.apiBaseUrl.port || (settings.apiBaseUrl.protocol === 'http:' ? '80' : '443');
  const stripe = new Stripe(settings.secretKey, {
    host: settings.apiBaseUrl.hostname,
    port,
    protocol: settings.apiBaseUrl.protocol === 'http:' ? 'http' : 'https',
    // Retries are ours (same idempotency key); the SDK's own would hide a crash window the tests look at.
    maxNetworkRetries: 0,
    telemetry: false,
    timeout: 10_000,
  });

  return {
    method: 'card',
    provider: 'stripe',
    async start(request: StartPayment): Promise<StartOutcome> {
      try {
        const intent = (await stripe.paymentIntents.create(
          {
            amount: Number(request.amountMinor),
            currency: request.currency.toLowerCase(),
            capture_method: settings.captureMethod,
            metadata: { meridian_payment_id: request.paymentId, meridian_order_id: request.orderId },
            ...(request.paymentMethodToken ? { payment_method: request.paymentMethodToken, confirm: true, payment_method_types: ['card'] } : { payment_method_types: ['card'] }),
            ...(request.paymentMethodToken && request.returnUrl ? { return_url: request.returnUrl } : {}),
          },
          { idempotencyKey: request.idempotencyKey },
        )) as unknown as Intent;
        const status = STATUS[intent.status];
        if (!status) return { kind: 'declined', providerRef: intent.id, declineCode: intent.last_payment_error?.decline_code ?? intent.status, message: 'The card payment was not accepted' };
        return { kind: 'started', providerRef: intent.id, status, ...(intent.client_secret ? { clientSecret: intent.client_secret } : {}) };
      } catch (error) {
        if (error instanceof Stripe.errors.StripeCardError) {
          const raw = error.raw as { payment_intent?: { id: string }; decline_code?: string; code?: string };
          return { kind: 'declined', providerRef: raw.payment_intent?.id ?? null, declineCode: raw.decline_code ?? raw.code ?? 'card_declined', message: 'The card was declined' };
        }
        throw error;
      }
    },
    async capture(move: MoneyMove) {
      await stripe.paymentIntents.capture(move.providerRef, { amount_to_capture: Number(move.amountMinor) }, { idempotencyKey: move.idempotencyKey });
    },
    async cancel(move) {
      await stripe.paymentIntents.cancel(move.providerRef, {}, { idempotencyKey: move.idempotencyKey });
    },
    async refund(move) {
      const refund = (await stripe.refunds.create(
        { payment_intent: move.providerRef, amount: Number(move.amountMinor), metadata: { meridian_payment_id: move.paymentId, meridian_refund_id: move.refundId } },
        { idempotencyKey: move.idempotencyKey },
      )) as unknown as RefundObject;
      return { providerRefundId: refund.id, settled: false };
    },
    async parseWebhook(rawBody, headers): Promise<VerifiedEvent> {
      let event: { id: string; type: string; data: { object: unknown } };
      try {
        event = stripe.webhooks.constructEvent(rawBody, headers['stripe-signature'] ?? '', settings.webhookSecret) as unknown as typeof event;
      } catch (error) {
        throw new InvalidSignature(error instanceof Error ? error.message : 'invalid signature');
      }
      if (event.type.startsWith('payment_intent.')) {
        const intent = event.data.object as Intent;
        const base = { eventId: event.id, type: event.type, paymentId: intent.metadata?.meridian_payment_id ?? null, providerRef: intent.id };
        switch (event.type) {
          case 'payment_intent.succeeded':
            return { ...base, change: { kind: 'captured', amountMinor: BigInt(intent.amount_received ?? intent.amount) } };
          case 'payment_intent.amount_capturable_updated':
            return { ...base, change: { kind: 'authorized', amountMinor: BigInt(intent.amount_capturable ?? intent.amount) } };
          case 'payment_intent.payment_failed':
            return { ...base, change: { kind: 'failed', code: intent.last_payment_error?.decline_code ?? intent.last_payment_error?.code ?? 'payment_failed' } };
          case 'payment_intent.canceled':
            return { ...base, change: { kind: 'cancelled' } };
          default:
            return { ...base, change: null };
        }
      }
      if (event.type === 'refund.created' || event.type === 'refund.updated' || event.type === 'charge.refund.updated') {
        const refund = event.data.object as RefundObject & { charge_amount_captured?: number };
        const intentId = typeof refund.payment_intent === 'string' ? refund.payment_intent : (refund.payment_intent?.id ?? null);
        const status = refund.status === 'succeeded' ? 'succeeded' : refund.status === 'failed' || refund.status === 'canceled' ? 'failed' : 'pending';
        return {
          eventId: event.id,
          type: event.type,
          paymentId: refund.metadata?.meridian_payment_id ?? null,
          providerRef: intentId,
          // A refund proves the capture before it: the payment is captured even if that event is still on its way.
          change: { kind: 'refunded', providerRefundId: refund.id, refundId: refund.metadata?.meridian_refund_id ?? null, amountMinor: BigInt(refund.amount), status },
        };
      }
      return { eventId: event.id, type: event.type, paymentId: null, providerRef: null, change: null };
    },
  };
}
