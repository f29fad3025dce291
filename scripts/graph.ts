import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { createPool, migrateDatabase, startEmbeddedPostgres, type EmbeddedPostgres, type Sql } from '@meridian/db';
import { AUTH_SUBGRAPH, JWKS_PATH, readAuthConfig, resolveAuthSecret, startAuthService } from '@meridian/auth';
import {
  createLogger,
  planShutdown,
  readCommonConfig,
  readDatabaseConfig,
  readInt,
  remoteKeyResolver,
  resolveAuthSigningKeys,
  resolveRouterTokenKeys,
  resolveRouterVerificationKeys,
  secondsUntil,
  type RunningHttpService,
  type ServiceTokenSource,
  type ShutdownPlan,
} from '@meridian/platform';
import { readRouterConfig, startRouter } from '@meridian/router';
import { loadSupergraphSdl } from '@meridian/schema';
import { seedDemoShop } from './demo-shop.js';
import { CART_SUBGRAPH, readCartConfig, startCartService } from '@meridian/cart';
import { CATALOG_SUBGRAPH, readCatalogConfig, startCatalogService } from '@meridian/catalog';
import { INVENTORY_SUBGRAPH, readInventoryConfig, startInventoryService } from '@meridian/inventory';
import { LOCALIZATION_SUBGRAPH, readLocalizationConfig, startLocalizationService } from '@meridian/localization';
import { NOTIFICATIONS_SUBGRAPH, readNotificationsConfig, startNotificationsService } from '@meridian/notifications';
import { ORDERS_SUBGRAPH, readOrdersConfig, startOrdersService } from '@meridian/orders';
import { PAYMENTS_SUBGRAPH, WEBHOOK_PATHS, readPaymentsConfig, startPaymentsService, type PaymentsConfig } from '@meridian/payments';
import { startPayPalStandIn, startStripeStandIn, type PayPalStandIn, type StripeStandIn } from '@meridian/payments/stand-ins';
import { USERS_SUBGRAPH, readUsersConfig, startUsersService } from '@meridian/users';

type Env = Record<string, string | undefined>;

export interface GraphOptions {
  env?: Env;
  /** Listen on ephemeral ports instead of the configured ones (tests run several graphs at once). */
  ephemeralPorts?: boolean;
  /** Seeds the demo shop (scripts/demo-shop.ts) after migrating: `pnpm start` on the embedded database. */
  seedDemo?: boolean;
  /** Sees every SQL statement the graph sends; tests count them. */
  onStatement?: (statement: string) => void;
  /** The cart service's own access token (for exact stock levels), instead of one from its client credentials. */
  cartServiceToken?: ServiceTokenSource;
  /** Where the services log instead of stdout (the benchmark keeps its stdout for its report). */
  logDestination?: Parameters<typeof createLogger>[1];
}

export interface RunningGraph {
  routerUrl: string;
  subgraphUrls: { auth: string; users: string; localization: string; catalog: string; inventory: string; cart: string; orders: string; notifications: string; payments: string };
  databaseUrl: string;
  embedded: boolean;
  /** Where the embedded database keeps its files, when it is used. */
  embeddedDataDir?: string;
  /** The payment providers' loopback stand-ins, in the built-in test mode (no provider keys configured). */
  paymentStandIns?: PaymentStandIns;
  close(): Promise<void>;
}

/** The service clients the orders service (checkout) and the cart (exact stock levels) use when the whole graph runs in one process. */
export const IN_PROCESS_ORDERS_CLIENT = 'orders-in-process';
export const IN_PROCESS_CART_CLIENT = 'cart-in-process';
/** The payments service's client (the `payments` role): it reads carts and guests' orders and records payments and refunds on orders. */
export const IN_PROCESS_PAYMENTS_CLIENT = 'payments-in-process';
/** The notifications service's client (the `notifications` role): it reads the order feed and recipients. */
export const IN_PROCESS_NOTIFICATIONS_CLIENT = 'notifications-in-process';

type ServiceCredentials = { clientId: string; clientSecret: string };

/**
 * The identities of the services that call others, in one process: a new random secret per client at every
 * start, never configured or stored (the auth service gets only their SHA-256, beside any `SERVICE_CLIENTS`
 * configured), each with its own role (`checkout`, `notifications`, `payments`), as an operator would list them
 * (README "Service identities").
 */
function inProcessClients(env: Env): { serviceClients: string; orders: ServiceCredentials; cart: ServiceCredentials; notifications: ServiceCredentials; payments: ServiceCredentials } {
  const make = (clientId: string, roles: string[] = ['checkout']) => {
    const clientSecret = randomBytes(32).toString('base64url');
    return { credentials: { clientId, clientSecret }, client: { id: clientId, secretSha256: createHash('sha256').update(clientSecret).digest('hex'), roles } };
  };
  const orders = make(IN_PROCESS_ORDERS_CLIENT);
  const cart = make(IN_PROCESS_CART_CLIENT);
  const payments = make(IN_PROCESS_PAYMENTS_CLIENT, ['payments']);
  const notifications = make(IN_PROCESS_NOTIFICATIONS_CLIENT, ['notifications']);
  let configured: unknown;
  try {
    configured = env.SERVICE_CLIENTS ? JSON.parse(env.SERVICE_CLIENTS) : [];
  } catch {
    configured = undefined;
  }
  // A malformed list is left as configured: the auth service refuses it at start and says why.
  const serviceClients = Array.isArray(configured) ? JSON.stringify([...(configured as unknown[]), orders.client, cart.client, notifications.client, payments.client]) : env.SERVICE_CLIENTS!;
  return { serviceClients, orders: orders.credentials, cart: cart.credentials, notifications: notifications.credentials, payments: payments.credentials };
}

export interface PaymentStandIns {
  stripe?: StripeStandIn;
  paypal?: PayPalStandIn;
}

/** The shop's account for bank transfers in the built-in test mode (the standard example IBAN of a German bank). */
const TEST_BANK_ACCOUNT = { accountHolder: 'Meridian Demo Shop', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' };

/**
 * The built-in test mode of payments (never in production): each provider without configured keys gets its
 * loopback stand-in, with fresh keys and webhook secrets, and the adapters point at it. No network is used.
 */
async function startPaymentStandIns(config: PaymentsConfig): Promise<{ config: PaymentsConfig; standIns: PaymentStandIns; close(): Promise<void> } | undefined> {
  if (config.stripe && config.paypal && config.bankAccount) return undefined;
  const standIns: PaymentStandIns = {};
  const next = { ...config };
  if (!config.stripe) {
    const stripe = (standIns.stripe = await startStripeStandIn());
    next.stripe = { secretKey: stripe.secretKey, webhookSecret: stripe.webhookSecret, apiBaseUrl: new URL(stripe.url), captureMethod: config.stripeCaptureMethod };
  }
  if (!config.paypal) {
    const paypal = (standIns.paypal = await startPayPalStandIn());
    next.paypal = { clientId: paypal.clientId, clientSecret: paypal.clientSecret, webhookId: paypal.webhookId, apiBaseUrl: new URL(paypal.url), live: false };
  }
  next.bankAccount ??= TEST_BANK_ACCOUNT;
  return {
    config: next,
    standIns,
    close: async () => {
      await standIns.stripe?.close();
      await standIns.paypal?.close();
    },
  };
}

/**
 * The whole graph in one process: the database (PostgreSQL from `DATABASE_URL`, otherwise embedded
 * PGlite persisted under the data directory), migrations, the auth and users subgraphs and the
 * router. One pool serves every service of the process.
 */
export async function startGraph(options: GraphOptions = {}): Promise<RunningGraph> {
  const env = options.env ?? process.env;
  const common = readCommonConfig(env);
  const log = (service: string) => createLogger({ service, level: common.logLevel, format: common.logFormat }, options.logDestination);
  const port = (configured: number) => (options.ephemeralPorts ? 0 : configured);

  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = env.DATABASE_URL;
  const embeddedDataDir = path.join(common.dataDir, 'pglite');
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: embeddedDataDir, port: readInt(env, 'EMBEDDED_DATABASE_PORT', 0) });
    databaseUrl = embedded.url;
  }
  // Every part shares one SHUTDOWN_TIMEOUT_MS: the router drains first, then the subgraphs, then the pool.
  const closers: ((plan: ShutdownPlan) => Promise<void>)[] = [];
  const close = async () => {
    const plan = planShutdown(common.shutdownTimeoutMs);
    for (const closer of closers.reverse()) await closer(plan);
  };
  try {
    if (embedded) closers.push(() => embedded.stop());
    await migrateDatabase(databaseUrl);
    if (options.seedDemo) await seedDemoShop(databaseUrl, { log: (message) => log('seed').info(message) });
    const database = readDatabaseConfig({ ...env, DATABASE_URL: databaseUrl });
    const sql: Sql = createPool(databaseUrl, {
      // The embedded database serves a single connection.
      max: embedded ? 1 : database.poolMax,
      applicationName: 'meridian',
      statementTimeoutMs: database.statementTimeoutMs,
      acquireTimeoutMs: database.acquireTimeoutMs,
      ...(options.onStatement ? { onStatement: options.onStatement } : {}),
    });
    closers.push((plan) => sql.end({ timeout: secondsUntil(plan.closeBy) }));

    const authKeys = await resolveAuthSigningKeys(common, env);
    const routerKeys = await resolveRouterVerificationKeys(common, env);
    let routerUrl = '';

    const clients = inProcessClients(env);
    const authConfig = readAuthConfig({ ...env, SERVICE_CLIENTS: clients.serviceClients });
    const auth = await startAuthService({
      common,
      config: { ...authConfig, port: port(authConfig.port) },
      sql,
      logger: log(AUTH_SUBGRAPH),
      signingKeys: authKeys,
      secret: await resolveAuthSecret(common, env),
      routerKeys,
      routerUrl: () => routerUrl,
    });
    closers.push((plan) => auth.close({ drainUntil: plan.drainUntil }));
    // The router fetches the auth service's JWKS over HTTP, as it does when run apart.
    const authJwksUrl = `${auth.url}${JWKS_PATH}`;
    const accessTokenKeys = remoteKeyResolver(authJwksUrl);

    const usersConfig = readUsersConfig(env);
    const users = await startUsersService({
      common,
      config: { ...usersConfig, port: port(usersConfig.port) },
      sql,
      logger: log(USERS_SUBGRAPH),
      routerKeys,
    });
    closers.push((plan) => users.close({ drainUntil: plan.drainUntil }));

    const localizationConfig = readLocalizationConfig(env);
    const localization = await startLocalizationService({
      common,
      config: { ...localizationConfig, port: port(localizationConfig.port) },
      sql,
      logger: log(LOCALIZATION_SUBGRAPH),
      routerKeys,
    });
    closers.push((plan) => localization.close({ drainUntil: plan.drainUntil }));

    const catalogConfig = readCatalogConfig(env);
    const catalog = await startCatalogService({
      common,
      config: { ...catalogConfig, port: port(catalogConfig.port) },
      sql,
      logger: log(CATALOG_SUBGRAPH),
      routerKeys,
      routerUrl: () => routerUrl,
    });
    closers.push((plan) => catalog.close({ drainUntil: plan.drainUntil }));

    const inventoryConfig = readInventoryConfig(env);
    const inventory = await startInventoryService({
      common,
      config: { ...inventoryConfig, port: port(inventoryConfig.port) },
      sql,
      logger: log(INVENTORY_SUBGRAPH),
      routerKeys,
    });
    closers.push((plan) => inventory.close({ drainUntil: plan.drainUntil }));

    const cartConfig = readCartConfig(env);
    const cart = await startCartService({
      common,
      config: { ...cartConfig, port: port(cartConfig.port), serviceCredentials: clients.cart },
      sql,
      logger: log(CART_SUBGRAPH),
      routerKeys,
      routerUrl: () => routerUrl,
      ...(options.cartServiceToken ? { serviceToken: options.cartServiceToken } : {}),
    });
    closers.push((plan) => cart.close({ drainUntil: plan.drainUntil }));

    const ordersConfig = readOrdersConfig(env);
    const orders = await startOrdersService({
      common,
      config: { ...ordersConfig, port: port(ordersConfig.port), serviceCredentials: clients.orders },
      sql,
      logger: log(ORDERS_SUBGRAPH),
      routerKeys,
      routerUrl: () => routerUrl,
    });
    closers.push((plan) => orders.close({ drainUntil: plan.drainUntil }));

    const notificationsConfig = readNotificationsConfig(env);
    const notifications = await startNotificationsService({
      common,
      config: { ...notificationsConfig, port: port(notificationsConfig.port), serviceCredentials: clients.notifications },
      sql,
      logger: log(NOTIFICATIONS_SUBGRAPH),
      routerKeys,
      routerUrl: () => routerUrl,
    });
    closers.push((plan) => notifications.close({ drainUntil: plan.drainUntil }));

    const paymentsConfig = readPaymentsConfig(env);
    const testMode = common.production ? undefined : await startPaymentStandIns(paymentsConfig);
    if (testMode) {
      closers.push(() => testMode.close());
      const standIns = Object.keys(testMode.standIns);
      if (standIns.length > 0) log(PAYMENTS_SUBGRAPH).info({ standIns }, 'payments in the built-in test mode: no provider keys configured, the adapters use loopback stand-ins (README "Payments")');
    }
    const payments = await startPaymentsService({
      common,
      config: { ...(testMode?.config ?? paymentsConfig), port: port(paymentsConfig.port), serviceCredentials: clients.payments },
      sql,
      logger: log(PAYMENTS_SUBGRAPH),
      routerKeys,
      routerUrl: () => routerUrl,
    });
    closers.push((plan) => payments.close({ drainUntil: plan.drainUntil }));
    testMode?.standIns.stripe?.setWebhookUrl(`${payments.url}${WEBHOOK_PATHS.stripe}`);
    testMode?.standIns.paypal?.setWebhookUrl(`${payments.url}${WEBHOOK_PATHS.paypal}`);

    const routerConfig = readRouterConfig(env);
    const router: RunningHttpService = await startRouter({
      common,
      config: {
        ...routerConfig,
        port: port(routerConfig.port),
        authJwksUrl,
        subgraphUrls: { auth: [`${auth.url}/graphql`], users: [`${users.url}/graphql`], localization: [`${localization.url}/graphql`], catalog: [`${catalog.url}/graphql`], inventory: [`${inventory.url}/graphql`], cart: [`${cart.url}/graphql`], orders: [`${orders.url}/graphql`], notifications: [`${notifications.url}/graphql`], payments: [`${payments.url}/graphql`] },
      },
      logger: log('router'),
      supergraphSdl: await loadSupergraphSdl(),
      ...(await resolveRouterTokenKeys(common, env)),
      accessTokenKeys,
    });
    closers.push((plan) => router.close({ drainUntil: plan.drainUntil }));
    routerUrl = `${router.url}/graphql`;

    return {
      routerUrl,
      subgraphUrls: { auth: `${auth.url}/graphql`, users: `${users.url}/graphql`, localization: `${localization.url}/graphql`, catalog: `${catalog.url}/graphql`, inventory: `${inventory.url}/graphql`, cart: `${cart.url}/graphql`, orders: `${orders.url}/graphql`, notifications: `${notifications.url}/graphql`, payments: `${payments.url}/graphql` },
      databaseUrl,
      embedded: embedded !== undefined,
      ...(embedded ? { embeddedDataDir } : {}),
      ...(testMode ? { paymentStandIns: testMode.standIns } : {}),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
