import axios, { type AxiosAdapter } from 'axios';
import { CheckoutPaymentIntent, Client, Environment, OrdersController, PaymentsController } from '@paypal/paypal-server-sdk';
import { money, parseMoney, toDecimal } from '@meridian/money';
import { InvalidSignature, type MoneyMove, type PaymentGateway, type StartOutcome, type StartPayment, type VerifiedEvent } from './payment-gateway.js';

export interface PayPalSettings {
  clientId: string;
  clientSecret: string;
  /** The webhook's id at PayPal: its signatures are checked against it (verify-webhook-signature). */
  webhookId: string;
  /** Where the API is: PayPal's sandbox or live API, or the loopback stand-in in test mode. */
  apiBaseUrl: URL;
  /** Where PayPal's official API lives for `apiBaseUrl` (sandbox unless it is the live one). */
  live: boolean;
}

const SANDBOX = 'https://api-m.sandbox.paypal.com';
const LIVE = 'https://api-m.paypal.com';

/**
 * The SDK knows only PayPal's two hosts (Environment.Sandbox, Environment.Production); its documented axios
 * overrides (`unstable_httpClientOptions`) let every request go to the configured base URL instead, e.g. the
 * loopback stand-in. Nothing else of the request changes.
 */
function rebasing(apiBaseUrl: URL): AxiosAdapter {
  const http = axios.getAdapter('http');
  const base = apiBaseUrl.toString().replace(/\/$/, '');
  return (config) => http({ ...config, url: config.url?.replace(SANDBOX, base).replace(LIVE, base) });
}

interface Resource {
  id: string;
  status?: string;
  custom_id?: string;
  invoice_id?: string;
  amount?: { value: string; currency_code: string };
  purchase_units?: { custom_id?: string; reference_id?: string }[];
  supplementary_data?: { related_ids?: { order_id?: string; capture_id?: string } };
  links?: { href: string; rel: string }[];
}

/** PayPal through its official server SDK: create order → the shopper approves → capture; refunds of the capture. */
export function createPayPalGateway(settings: PayPalSettings): PaymentGateway {
  const redirected = settings.apiBaseUrl.origin !== new URL(settings.live ? LIVE : SANDBOX).origin;
  const client = new Client({
    clientCredentialsAuthCredentials: { oAuthClientId: settings.clientId, oAuthClientSecret: settings.clientSecret },
    environment: settings.live ? Environment.Production : Environment.Sandbox,
    timeout: 10_000,
    // No `logging`: the SDK's default is its NullLogger. A logger would write requests and responses, which carry
    // the payer's name, e-mail and address.
    ...(redirected ? { unstable_httpClientOptions: { adapter: rebasing(settings.apiBaseUrl) } } : {}),
  });
  const orders = new OrdersController(client);
  const payments = new PaymentsController(client);
  const value = (minor: bigint, currency: string) => ({ currencyCode: currency, value: toDecimal(money(minor, currency)) });
  const minorOf = (amount: { value: string; currency_code: string } | undefined) => (amount ? parseMoney(amount.value, amount.currency_code).minorUnits : 0n);

  async function verify(rawBody: string, headers: Record<string, string | undefined>): Promise<Record<string, unknown>> {
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(rawBody) as Record<string, unknown>;
    } catch {
      throw new InvalidSignature('not JSON');
    }
    const needed = ['paypal-auth-algo', 'paypal-cert-url', 'paypal-transmission-id', 'paypal-transmission-sig', 'paypal-transmission-time'];
    if (needed.some((name) => !headers[name])) throw new InvalidSignature('missing PayPal transmission headers');
    const token = await client.clientCredentialsAuthManager.fetchToken();
    const response = await fetch(`${settings.apiBaseUrl.toString().replace(/\/$/, '')}/v1/notifications/verify-webhook-signature`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.accessToken}` },
      body: JSON.stringify({
        auth_algo: headers['paypal-auth-algo'],
        cert_url: headers['paypal-cert-url'],
        transmission_id: headers['paypal-transmission-id'],
        transmission_sig: headers['paypal-transmission-sig'],
        transmission_time: headers['paypal-transmission-time'],
        webhook_id: settings.webhookId,
        webhook_event: event,
      }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`PayPal verify-webhook-signature answered ${response.status}`);
    const verdict = (await response.json()) as { verification_status?: string };
    if (verdict.verification_status !== 'SUCCESS') throw new InvalidSignature('PayPal did not verify the signature');
    return event;
  }

  return {
    method: 'paypal',
    provider: 'paypal',
    async start(request: StartPayment): Promise<StartOutcome> {
      const { result } = await orders.createOrder({
        body: {
          intent: CheckoutPaymentIntent.Capture,
          purchaseUnits: [{ referenceId: request.orderId, customId: request.paymentId, amount: value(request.amountMinor, request.currency) }],
          paymentSource: { paypal: { experienceContext: { ...(request.returnUrl ? { returnUrl: request.returnUrl, cancelUrl: request.returnUrl } : {}) } } },
        },
        paypalRequestId: request.idempotencyKey,
        prefer: 'return=minimal',
      });
      const approvalUrl = result.links?.find((link) => link.rel === 'payer-action' || link.rel === 'approve')?.href;
      return { kind: 'started', providerRef: result.id!, status: 'requires_action', ...(approvalUrl ? { approvalUrl } : {}) };
    },
    async capture(move: MoneyMove) {
      await orders.captureOrder({ id: move.providerRef, paypalRequestId: move.idempotencyKey, prefer: 'return=minimal' });
    },
    async cancel() {
      // An order nobody approved simply expires at PayPal: there is nothing to call.
    },
    async refund(move) {
      if (!move.captureRef) throw new Error('a PayPal payment without a capture cannot be refunded');
      const { result } = await payments.refundCapturedPayment({
        captureId: move.captureRef,
        paypalRequestId: move.idempotencyKey,
        body: { amount: value(move.amountMinor, move.currency), customId: move.paymentId, invoiceId: move.refundId },
      });
      return { providerRefundId: result.id ?? null, settled: false };
    },
    async parseWebhook(rawBody, headers): Promise<VerifiedEvent> {
      const event = await verify(rawBody, headers);
      const eventId = String(event.id);
      const type = String(event.event_type);
      const resource = (event.resource ?? {}) as Resource;
      switch (type) {
        case 'CHECKOUT.ORDER.APPROVED':
          return { eventId, type, paymentId: resource.purchase_units?.[0]?.custom_id ?? null, providerRef: resource.id, change: { kind: 'approved' } };
        case 'PAYMENT.CAPTURE.COMPLETED':
          return { eventId, type, paymentId: resource.custom_id ?? null, providerRef: resource.supplementary_data?.related_ids?.order_id ?? null, change: { kind: 'captured', amountMinor: minorOf(resource.amount), captureRef: resource.id } };
        case 'PAYMENT.CAPTURE.DENIED':
          return { eventId, type, paymentId: resource.custom_id ?? null, providerRef: resource.supplementary_data?.related_ids?.order_id ?? null, change: { kind: 'failed', code: 'capture_denied' } };
        case 'PAYMENT.CAPTURE.REFUNDED':
          return {
            eventId,
            type,
            paymentId: resource.custom_id ?? null,
            providerRef: resource.supplementary_data?.related_ids?.order_id ?? null,
            change: { kind: 'refunded', providerRefundId: resource.id, refundId: resource.invoice_id ?? null, amountMinor: minorOf(resource.amount), status: resource.status === 'COMPLETED' ? 'succeeded' : resource.status === 'FAILED' || resource.status === 'CANCELLED' ? 'failed' : 'pending' },
          };
        default:
          return { eventId, type, paymentId: null, providerRef: null, change: null };
      }
    },
  };
}
