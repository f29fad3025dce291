import { ConfigError, readInt, readJson, readOptionalString, readServiceCredentials, readString, readUrl, type ServiceCredentials } from '@meridian/platform';
import type { PayPalSettings } from './gateways/paypal.gateway.js';
import type { StripeSettings } from './gateways/stripe.gateway.js';
import { DEFAULT_METHOD_RULES, parseMethodRules, type MethodRule } from './payments/payment-methods.rules.js';

type Env = Record<string, string | undefined>;

export type PaymentsFaultStep = 'after-provider-call';

export interface BankAccount {
  accountHolder: string;
  iban: string;
  bic: string;
}

export interface PaymentsConfig {
  port: number;
  /** The router, through which the service reads orders and carts and records payments on orders. */
  routerUrl: string;
  /** The service's client credentials, for the `checkout` role. */
  serviceCredentials: ServiceCredentials | undefined;
  /** Cards through Stripe: only with `STRIPE_SECRET_KEY` and `STRIPE_WEBHOOK_SECRET`. */
  stripe: StripeSettings | undefined;
  /** PayPal: only with `PAYPAL_CLIENT_ID`, `PAYPAL_CLIENT_SECRET` and `PAYPAL_WEBHOOK_ID`. */
  paypal: PayPalSettings | undefined;
  /** The shop's account for bank transfers: the method is offered only with one. */
  bankAccount: BankAccount | undefined;
  methodRules: MethodRule[];
  /** `STRIPE_CAPTURE_METHOD`: `automatic` (paid at confirmation) or `manual` (authorized, then `capturePayment`). */
  stripeCaptureMethod: 'automatic' | 'manual';
  /** How often captures and refunds the orders service has not recorded yet are sent again. */
  orderSyncIntervalMs: number;
  /** Test builds only: where the process kills itself (the crash test). */
  faultStep: PaymentsFaultStep | undefined;
}

export function readPaymentsConfig(env: Env = process.env): PaymentsConfig {
  const stripeKey = readOptionalString(env, 'STRIPE_SECRET_KEY');
  const stripeWebhookSecret = readOptionalString(env, 'STRIPE_WEBHOOK_SECRET');
  if (stripeKey && !stripeWebhookSecret) throw new ConfigError('STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY: webhooks are verified with it');
  const capture = readString(env, 'STRIPE_CAPTURE_METHOD', 'automatic');
  if (capture !== 'automatic' && capture !== 'manual') throw new ConfigError('STRIPE_CAPTURE_METHOD must be automatic or manual');
  const paypalId = readOptionalString(env, 'PAYPAL_CLIENT_ID');
  const paypalSecret = readOptionalString(env, 'PAYPAL_CLIENT_SECRET');
  const paypalWebhookId = readOptionalString(env, 'PAYPAL_WEBHOOK_ID');
  if (paypalId && (!paypalSecret || !paypalWebhookId)) throw new ConfigError('PAYPAL_CLIENT_SECRET and PAYPAL_WEBHOOK_ID are required with PAYPAL_CLIENT_ID');
  const paypalBase = new URL(readUrl(env, 'PAYPAL_API_BASE_URL', 'https://api-m.sandbox.paypal.com'));
  const iban = readOptionalString(env, 'BANK_TRANSFER_IBAN');
  const fault = readOptionalString(env, 'PAYMENTS_FAULT_STEP');
  if (fault !== undefined && fault !== 'after-provider-call') throw new ConfigError('PAYMENTS_FAULT_STEP must be after-provider-call');
  const rules = readJson<unknown>(env, 'PAYMENT_METHODS');
  return {
    port: readInt(env, 'PAYMENTS_PORT', 4008, { min: 0, max: 65535 }),
    routerUrl: readUrl(env, 'ROUTER_URL', 'http://localhost:4000/graphql'),
    serviceCredentials: readServiceCredentials(env),
    stripe: stripeKey
      ? { secretKey: stripeKey, webhookSecret: stripeWebhookSecret!, apiBaseUrl: new URL(readUrl(env, 'STRIPE_API_BASE_URL', 'https://api.stripe.com')), captureMethod: capture }
      : undefined,
    paypal: paypalId ? { clientId: paypalId, clientSecret: paypalSecret!, webhookId: paypalWebhookId!, apiBaseUrl: paypalBase, live: paypalBase.hostname === 'api-m.paypal.com' } : undefined,
    bankAccount: iban ? { iban, bic: readString(env, 'BANK_TRANSFER_BIC'), accountHolder: readString(env, 'BANK_TRANSFER_ACCOUNT_HOLDER') } : undefined,
    stripeCaptureMethod: capture,
    methodRules: rules === undefined ? [...DEFAULT_METHOD_RULES] : parseMethodRules(rules),
    orderSyncIntervalMs: readInt(env, 'PAYMENTS_ORDER_SYNC_MS', 5_000, { min: 50, max: 3_600_000 }),
    // A process that kills itself on purpose is for the crash test only: never outside NODE_ENV=test.
    faultStep: env.NODE_ENV === 'test' ? (fault as PaymentsFaultStep | undefined) : undefined,
  };
}
