import { ConfigError, readInt, readOptionalString, readServiceCredentials, readUrl, type ServiceCredentials } from '@meridian/platform';
import type { CheckoutStep } from './checkout/checkout.model.js';

type Env = Record<string, string | undefined>;

export interface OrdersConfig {
  port: number;
  /** The router, through which the orders service reads carts and prices and reserves stock. */
  routerUrl: string;
  /** The orders service's client credentials (`SERVICE_CLIENT_ID`, `SERVICE_CLIENT_SECRET`), for the `checkout` role. */
  serviceCredentials: ServiceCredentials | undefined;
  /** How long an order may wait for its payment before it is cancelled and its stock goes back. */
  paymentWindowMinutes: number;
  /** How long a reservation outlives the payment window, so the stock is still held while the window closes. */
  reservationMarginSeconds: number;
  /** How long a checkout's worker has before another request or the recovery job takes it over. */
  checkoutLeaseMs: number;
  /** How long a request with the key of a checkout under way waits for it. */
  checkoutWaitMs: number;
  /** How often unfinished checkouts are finished or undone, and unpaid orders past the window cancelled. */
  recoveryIntervalMs: number;
  /** Test builds only: where the process kills itself in the middle of a checkout (the kill tests). */
  faultStep: CheckoutStep | undefined;
}

const FAULT_STEPS = ['after-reservation', 'after-order'] as const;

export function readOrdersConfig(env: Env = process.env): OrdersConfig {
  const fault = readOptionalString(env, 'ORDERS_FAULT_STEP');
  if (fault !== undefined && !(FAULT_STEPS as readonly string[]).includes(fault)) throw new ConfigError(`ORDERS_FAULT_STEP must be one of ${FAULT_STEPS.join(', ')}`);
  return {
    port: readInt(env, 'ORDERS_PORT', 4007, { min: 0, max: 65535 }),
    routerUrl: readUrl(env, 'ROUTER_URL', 'http://localhost:4000/graphql'),
    serviceCredentials: readServiceCredentials(env),
    paymentWindowMinutes: readInt(env, 'ORDERS_PAYMENT_WINDOW_MINUTES', 30, { min: 1, max: 10_080 }),
    reservationMarginSeconds: readInt(env, 'ORDERS_RESERVATION_MARGIN_SECONDS', 300, { min: 0, max: 86_400 }),
    checkoutLeaseMs: readInt(env, 'ORDERS_CHECKOUT_LEASE_MS', 30_000, { min: 100, max: 600_000 }),
    checkoutWaitMs: readInt(env, 'ORDERS_CHECKOUT_WAIT_MS', 10_000, { min: 0, max: 60_000 }),
    recoveryIntervalMs: readInt(env, 'ORDERS_RECOVERY_MS', 5_000, { min: 50, max: 3_600_000 }),
    // A process that kills itself on purpose is for the kill tests only: never outside NODE_ENV=test.
    faultStep: env.NODE_ENV === 'test' ? (fault as CheckoutStep | undefined) : undefined,
  };
}
