import path from 'node:path';
import { parse } from 'graphql';
import { isReachable, type Sql } from '@meridian/db';
import { createMailTransport, type MailTransport } from '@meridian/mail';
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
import type { NotificationsConfig } from './config.js';
import { createNotificationsContext, type NotificationsContext, type NotificationsUseCaseSet } from './context.js';
import { createNotificationsDb } from './db.js';
import { createDeliveriesRepository } from './deliveries/deliveries.repository.js';
import { createDeliveryUseCases } from './deliveries/deliveries.usecases.js';
import { createAccountErasureUseCases } from './erasure/account-erasure.usecases.js';
import { createOrderFeedConsumer } from './feed/order-feed.consumer.js';
import { createNotificationsGraph } from './graph/notifications-graph.client.js';
import { startNotificationsWorker } from './notifications.worker.js';
import { resolvers } from './resolvers/index.js';
import { createDeliverySender } from './sending/delivery.sender.js';

export { readNotificationsConfig, type NotificationsConfig } from './config.js';

export const NOTIFICATIONS_SUBGRAPH = 'notifications';

export const NOTIFICATIONS_SCHEMA_FILE = new URL('../schema.graphql', import.meta.url);

const GRAPH_TIMEOUT_MS = 10_000;

export interface NotificationsServiceOptions {
  common: CommonConfig;
  config: NotificationsConfig;
  sql: Sql;
  logger: Logger;
  routerKeys: RouterVerificationKeys;
  /** The router's URL, when it is only known after the subgraph started (`pnpm start`). */
  routerUrl?: () => string;
  /** The service's own token (the `notifications` role): by default from `SERVICE_CLIENT_ID` and `SERVICE_CLIENT_SECRET`. */
  serviceToken?: ServiceTokenSource;
  /** The mail transport: by default SMTP (`SMTP_URL`) or `.eml` files in `<DATA_DIR>/mail`. */
  transport?: MailTransport;
}

/** The notifications subgraph (admin view of deliveries) and its worker, in one process. */
export async function startNotificationsService(options: NotificationsServiceOptions): Promise<RunningSubgraph> {
  const { common, config, logger } = options;
  const db = createNotificationsDb(options.sql);
  const manifest = await loadPersistedQueryManifest();
  const routerUrl = options.routerUrl ?? (() => config.routerUrl);
  const serviceToken =
    options.serviceToken ??
    (config.serviceCredentials ? createServiceTokenSource({ ...config.serviceCredentials, routerUrl, manifest, log: logger.child({ component: 'service-token' }) }) : undefined);
  const token = async () => {
    if (!serviceToken) throw new Error('the notifications service has no service identity (SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET)');
    return serviceToken();
  };
  const call = (name: string) => withServiceToken(createGraphOperation({ routerUrl, manifest, timeoutMs: GRAPH_TIMEOUT_MS }, name), token, (refused) => serviceToken?.forget(refused));
  if (!serviceToken) logger.warn('SERVICE_CLIENT_ID and SERVICE_CLIENT_SECRET are not set: no order event can be read, no notification is sent');

  const graph = createNotificationsGraph({ orderEvents: call('NotificationOrderEvents'), recipient: call('NotificationRecipient'), shop: call('NotificationShop') });
  const deliveries = createDeliveriesRepository({ db });
  const transport = options.transport ?? createMailTransport({ smtpUrl: config.smtpUrl, from: config.mailFrom, mailDir: path.join(common.dataDir, 'mail'), log: logger });
  const useCases: NotificationsUseCaseSet = { deliveries: createDeliveryUseCases({ deliveries }), erasure: createAccountErasureUseCases({ db, deliveries }) };
  const worker = startNotificationsWorker({
    intervalMs: config.pollMs,
    consume: createOrderFeedConsumer({ db, deliveries, graph, log: logger.child({ component: 'order-feed' }) }),
    sendDue: createDeliverySender({
      deliveries,
      graph,
      transport,
      policy: { maxAttempts: config.maxAttempts, baseMs: config.retryBaseMs, maxMs: config.retryMaxMs, leaseMs: config.sendLeaseMs },
      log: logger.child({ component: 'delivery' }),
    }),
    log: logger.child({ component: 'notifications-worker' }),
  });

  const subgraph = await startSubgraph<NotificationsContext>({
    name: NOTIFICATIONS_SUBGRAPH,
    typeDefs: parse(await readSubgraphSdl(NOTIFICATIONS_SCHEMA_FILE)),
    resolvers,
    common,
    port: config.port,
    logger,
    routerKeys: options.routerKeys,
    isReady: () => isReachable(options.sql),
    createContext: (base) => createNotificationsContext(base, useCases),
  });
  return {
    ...subgraph,
    close: async (closeOptions?: CloseOptions) => {
      await worker.stop();
      await subgraph.close(closeOptions);
      await transport.close();
    },
  };
}
