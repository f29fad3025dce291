import { readInt, readOptionalString, readServiceCredentials, readString, readUrl, ConfigError, type ServiceCredentials } from '@meridian/platform';

type Env = Record<string, string | undefined>;

export interface NotificationsConfig {
  port: number;
  /** The router, through which the service reads order events, recipients and the shop's languages. */
  routerUrl: string;
  /** The service's client credentials (`SERVICE_CLIENT_ID`, `SERVICE_CLIENT_SECRET`), for the `notifications` role. */
  serviceCredentials: ServiceCredentials | undefined;
  /** SMTP relay; unset: `.eml` files in `<DATA_DIR>/mail`. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** How often the order feed is read and due messages are sent. */
  pollMs: number;
  /** Attempts before a message is dead-lettered. */
  maxAttempts: number;
  /** The first retry's delay; each further one doubles it, up to `retryMaxMs`, with jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long an attempt holds its delivery before another worker may take it (a crashed sender's). */
  sendLeaseMs: number;
}

export function readNotificationsConfig(env: Env = process.env): NotificationsConfig {
  const retryBaseMs = readInt(env, 'NOTIFICATIONS_RETRY_BASE_MS', 30_000, { min: 10, max: 3_600_000 });
  const retryMaxMs = readInt(env, 'NOTIFICATIONS_RETRY_MAX_MS', 3_600_000, { min: 10, max: 86_400_000 });
  if (retryMaxMs < retryBaseMs) throw new ConfigError('NOTIFICATIONS_RETRY_MAX_MS must be at least NOTIFICATIONS_RETRY_BASE_MS');
  return {
    port: readInt(env, 'NOTIFICATIONS_PORT', 4009, { min: 0, max: 65535 }),
    routerUrl: readUrl(env, 'ROUTER_URL', 'http://localhost:4000/graphql'),
    serviceCredentials: readServiceCredentials(env),
    smtpUrl: readOptionalString(env, 'SMTP_URL'),
    mailFrom: readString(env, 'MAIL_FROM', 'Meridian <no-reply@meridian.localhost>'),
    pollMs: readInt(env, 'NOTIFICATIONS_POLL_MS', 1_000, { min: 20, max: 600_000 }),
    maxAttempts: readInt(env, 'NOTIFICATIONS_MAX_ATTEMPTS', 8, { min: 1, max: 100 }),
    retryBaseMs,
    retryMaxMs,
    sendLeaseMs: readInt(env, 'NOTIFICATIONS_SEND_LEASE_MS', 60_000, { min: 100, max: 3_600_000 }),
  };
}
