import { parse } from 'graphql';
import { isReachable, type Sql } from '@meridian/db';
import {
  createGraphOperation,
  createServiceTokenSource,
  readSubgraphSdl,
  startSubgraph,
  withServiceToken,
  type CloseOptions,
  type CommonConfig,
  type Logger,
  type RouterVerificationKeys,
  type RunningSubgraph,
  type ServiceTokenSource,
} from '@meridian/platform';
import { loadPersistedQueryManifest } from '@meridian/schema';
import type { PaymentsConfig } from './config.js';
import { createPaymentsContext, type PaymentsContext } from './context.js';
import { createPaymentsDb } from './db.js';
import { killAt } from './fault.js';
import { createBankTransferGateway } from './gateways/bank-transfer.gateway.js';
import type { MethodCode, PaymentGateway } from './gateways/payment-gateway.js';
import { createPayPalGateway } from './gateways/paypal.gateway.js';
import { createStripeGateway } from './gateways/stripe.gateway.js';
import { createCartReader } from './graph/cart.client.js';
import { createGuestOrderReader, createOrderPaidRecorder, createOrderReader, createOrderRefundRecorder } from './graph/orders.client.js';
import { createPaymentsRepository } from './payments/payments.repository.js';
import { createPaymentUseCases } from './payments/payments.usecases.js';
import { resolvers } from './resolvers/index.js';
import { webhookRoutes } from './webhooks/webhooks.routes.js';

export { readPaymentsConfig, type PaymentsConfig } from './config.js';
export { WEBHOOK_PATHS } from './webhooks/webhooks.routes.js';

export const PAYMENTS_SUBGRAPH = 'payments';

export const PAYMENTS_SCHEMA_FILE = new URL('../schema.graphql', import.meta.url);

const GRAPH_TIMEOUT_MS = 10_000;

export interface PaymentsServiceOptions {
  common: CommonConfig;
  config: PaymentsConfig;
  sql: Sql;
  logger: Logger;
  routerKeys: RouterVerificationKeys;
  routerUrl?: () => string;
  serviceToken?: ServiceTokenSource;
}

/** The adapters the configuration has what they need for: a method without one is never offered. */
export function configuredGateways(config: PaymentsConfig): Map<MethodCode, PaymentGateway> {
  const gateways = new Map<MethodCode, PaymentGateway>();
  if (config.stripe) gateways.set('card', createStripeGateway(config.stripe));
  if (config.paypal) gateways.set('paypal', createPayPalGateway(config.paypal));
  if (config.bankAccount) gateways.set('bank_transfer', createBankTransferGateway());
  return gateways;
}

export async function startPaymentsService(options: PaymentsServiceOptions): Promise<RunningSubgraph> {
  const { common, config, logger } = options;
  const db = createPaymentsDb(options.sql);
  const manifest = await loadPersistedQueryManifest();
  const routerUrl = options.routerUrl ?? (() => config.routerUrl);
  const serviceToken =
    options.serviceToken ??
    (config.serviceCredentials ? createServiceTokenSource({ ...config.serviceCredentials, routerUrl, manifest, log: logger.child({ component: 'service-token' }) }) : undefined);
  const token = async () => {
    if (!serviceToken) throw new Error('the payments service has no service identity (SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET)');
    return serviceToken();
  };
  const operation = (name: string) => createGraphOperation({ routerUrl, manifest, timeoutMs: GRAPH_TIMEOUT_MS }, name);
  const graph = (name: string) => withServiceToken(operation(name), token, (refused) => serviceToken?.forget(refused));
  if (!serviceToken) logger.warn('SERVICE_CLIENT_ID and SERVICE_CLIENT_SECRET are not set: orders cannot be marked paid');
  const gateways = configuredGateways(config);
  if (gateways.size === 0) logger.warn('no payment method is configured (STRIPE_SECRET_KEY, PAYPAL_CLIENT_ID, BANK_TRANSFER_IBAN): nothing can be paid');

  const payments = createPaymentUseCases({
    db,
    payments: createPaymentsRepository({ db }),
    gateways,
    ports: {
      readOrder: createOrderReader(operation('PaymentOrder')),
      readGuestOrder: createGuestOrderReader(graph('PaymentGuestOrder')),
      readCart: createCartReader(graph('PaymentCart')),
      markOrderPaid: createOrderPaidRecorder(graph('RecordOrderPayment')),
      recordOrderRefund: createOrderRefundRecorder(graph('RecordOrderRefund')),
    },
    methodRules: config.methodRules,
    bankAccount: config.bankAccount,
    log: logger.child({ component: 'payments' }),
    ...(config.faultStep ? { fault: killAt(config.faultStep)! } : {}),
  });

  // Captures and refunds the orders service could not be told about (it was down) are sent again.
  let syncing = Promise.resolve();
  const timer = setInterval(() => {
    syncing = syncing
      .then(() => payments.syncPending())
      .then(() => undefined)
      .catch((error: unknown) => logger.warn({ err: error }, 'the order sync failed; it runs again'));
  }, config.orderSyncIntervalMs);
  timer.unref();

  const subgraph = await startSubgraph<PaymentsContext>({
    name: PAYMENTS_SUBGRAPH,
    typeDefs: parse(await readSubgraphSdl(PAYMENTS_SCHEMA_FILE)),
    resolvers,
    common,
    port: config.port,
    logger,
    routerKeys: options.routerKeys,
    isReady: () => isReachable(options.sql),
    createContext: (base, relayed) => createPaymentsContext(base, relayed, payments),
    postRoutes: webhookRoutes([...gateways.values()], payments, logger.child({ component: 'webhooks' })),
  });
  return {
    ...subgraph,
    close: async (closeOptions?: CloseOptions) => {
      clearInterval(timer);
      await syncing;
      await subgraph.close(closeOptions);
    },
  };
}
