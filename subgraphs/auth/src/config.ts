import { availableParallelism } from 'node:os';
import { ConfigError, isProduction, readInt, readJson, readOptionalString, readPublicBaseUrl, readString, readUrl } from '@meridian/platform';
import type { RelyingParty } from './second-factors/webauthn.js';
import { parseEmailLinkBases, type EmailLinkBases } from './mail/link-bases.js';
import { normalizeEmail } from './accounts/email.rules.js';
import { parseServiceClients, type ServiceClient } from './service-clients/service-clients.rules.js';

type Env = Record<string, string | undefined>;

export interface RateRule {
  points: number;
  durationSeconds: number;
}

export const RATE_LIMITED_ACTIONS = ['login', 'register', 'refresh', 'password_reset', 'verification_email', 'email_token', 'service_token'] as const;
export type RateLimitedAction = (typeof RATE_LIMITED_ACTIONS)[number];

/** Per action: attempts allowed per client address and per identifier (e-mail, token family, service client) in a window. */
export type RateLimitRules = Record<RateLimitedAction, { ip: RateRule; identifier: RateRule | null }>;

export interface LockoutPolicy {
  /** Failed sign-ins of one identifier, within `windowSeconds`, that lock it. */
  threshold: number;
  windowSeconds: number;
  /** First lockout; each further one doubles, up to `maxSeconds`. */
  baseSeconds: number;
  maxSeconds: number;
}

export interface AuthConfig {
  port: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  sessionMaxAgeSeconds: number;
  refreshReuseGraceSeconds: number;
  passwordHashConcurrency: number;
  passwordHashQueueLimit: number;
  routerUrl: string;
  publicBaseUrl: string;
  /** Where e-mail links open, by name (`EMAIL_LINK_BASES`); requests choose one with `linkBase`. */
  emailLinkBases: EmailLinkBases;
  /** Normalized e-mail addresses whose accounts get the admin role when they sign in (ADMIN_EMAILS). */
  adminEmails: ReadonlySet<string>;
  mailFrom: string;
  smtpUrl: string | undefined;
  redisUrl: string | undefined;
  /** Prefix of every key the auth service writes to Redis. */
  redisKeyPrefix: string;
  outboxPollMs: number;
  lockout: LockoutPolicy;
  rateLimits: RateLimitRules;
  /** Services that may obtain access tokens with client credentials (`SERVICE_CLIENTS`), by id. */
  serviceClients: ReadonlyMap<string, ServiceClient>;
  /** The WebAuthn relying party passkeys are bound to (`WEBAUTHN_RP_ID`, `WEBAUTHN_RP_NAME`, `WEBAUTHN_ORIGINS`). */
  webauthn: RelyingParty;
  /** The issuer name authenticator apps show (`TOTP_ISSUER`). */
  totpIssuer: string;
  /** `ADMIN_REQUIRE_MFA`: admin-only fields refuse sessions that did not use a second factor. */
  adminRequireMfa: boolean;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * argon2 runs on libuv's thread pool (UV_THREADPOOL_SIZE, 4 by default), which token signing and
 * verification, file access and DNS also need, so hashing leaves two of its threads free; and it
 * leaves one CPU to everything else, so a burst of sign-ins cannot slow every other request down.
 */
function defaultHashConcurrency(env: Env): number {
  const poolSize = Number(env.UV_THREADPOOL_SIZE) || 4;
  return Math.max(1, Math.min(availableParallelism() - 1, poolSize - 2));
}

const DEFAULT_RATE_LIMITS: Record<RateLimitedAction, { ip: string; identifier: string | null }> = {
  login: { ip: '30/60', identifier: '10/60' },
  register: { ip: '10/3600', identifier: '3/3600' },
  refresh: { ip: '120/60', identifier: '60/60' },
  password_reset: { ip: '10/3600', identifier: '3/3600' },
  verification_email: { ip: '10/3600', identifier: '3/3600' },
  email_token: { ip: '30/60', identifier: null },
  // A service asks about every four minutes per replica; the limits leave room for many replicas starting at once.
  service_token: { ip: '30/60', identifier: '60/60' },
};

function readRule(env: Env, name: string, fallback: string): RateRule {
  const value = readString(env, name, fallback);
  const match = /^(\d+)\/(\d+)$/.exec(value);
  if (!match) throw new ConfigError(`${name} must be "<attempts>/<seconds>", e.g. "10/60", got "${value}"`);
  const rule = { points: Number(match[1]), durationSeconds: Number(match[2]) };
  if (rule.points < 1 || rule.durationSeconds < 1) throw new ConfigError(`${name} needs at least 1 attempt in at least 1 second`);
  return rule;
}

const rateLimitVariable = (action: RateLimitedAction, key: 'IP' | 'IDENTIFIER') => `RATE_LIMIT_${action.toUpperCase()}_${key}`;

function readRateLimits(env: Env): RateLimitRules {
  const rules = {} as RateLimitRules;
  for (const action of RATE_LIMITED_ACTIONS) {
    const defaults = DEFAULT_RATE_LIMITS[action];
    rules[action] = {
      ip: readRule(env, rateLimitVariable(action, 'IP'), defaults.ip),
      identifier: defaults.identifier === null ? null : readRule(env, rateLimitVariable(action, 'IDENTIFIER'), defaults.identifier),
    };
  }
  return rules;
}

/** Environment that sets every rate limit to `rule` (e.g. "100000/60"): for fixtures and benchmarks that act as one client. */
export function rateLimitsEnv(rule: string): Record<string, string> {
  return Object.fromEntries(
    RATE_LIMITED_ACTIONS.flatMap((action) => [
      [rateLimitVariable(action, 'IP'), rule],
      [rateLimitVariable(action, 'IDENTIFIER'), rule],
    ]),
  );
}

export function readAuthConfig(env: Env = process.env): AuthConfig {
  return {
    port: readInt(env, 'AUTH_PORT', 4001, { min: 0, max: 65535 }),
    accessTokenTtlSeconds: readInt(env, 'ACCESS_TOKEN_TTL_SECONDS', 15 * MINUTE, { min: 30, max: HOUR }),
    refreshTokenTtlSeconds: readInt(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * DAY, { min: 60 }),
    sessionMaxAgeSeconds: readInt(env, 'SESSION_MAX_AGE_SECONDS', 90 * DAY, { min: 60 }),
    refreshReuseGraceSeconds: readInt(env, 'REFRESH_REUSE_GRACE_SECONDS', 10, { min: 0, max: 60 }),
    passwordHashConcurrency: readInt(env, 'PASSWORD_HASH_CONCURRENCY', defaultHashConcurrency(env), { min: 1, max: 64 }),
    passwordHashQueueLimit: readInt(env, 'PASSWORD_HASH_QUEUE_LIMIT', 64, { min: 0 }),
    routerUrl: readUrl(env, 'ROUTER_URL', 'http://localhost:4000/graphql'),
    publicBaseUrl: readPublicBaseUrl(env),
    emailLinkBases: parseEmailLinkBases(readOptionalString(env, 'EMAIL_LINK_BASES'), readPublicBaseUrl(env), isProduction(env)),
    adminEmails: parseAdminEmails(readOptionalString(env, 'ADMIN_EMAILS')),
    mailFrom: readString(env, 'MAIL_FROM', 'Meridian <no-reply@meridian.localhost>'),
    smtpUrl: readOptionalString(env, 'SMTP_URL'),
    redisUrl: readOptionalString(env, 'REDIS_URL'),
    redisKeyPrefix: readString(env, 'REDIS_KEY_PREFIX', 'meridian:'),
    outboxPollMs: readInt(env, 'OUTBOX_POLL_MS', 1_000, { min: 50, max: 60_000 }),
    lockout: {
      threshold: readInt(env, 'LOCKOUT_THRESHOLD', 10, { min: 1 }),
      windowSeconds: readInt(env, 'LOCKOUT_WINDOW_SECONDS', 15 * MINUTE, { min: 1 }),
      baseSeconds: readInt(env, 'LOCKOUT_BASE_SECONDS', MINUTE, { min: 1 }),
      maxSeconds: readInt(env, 'LOCKOUT_MAX_SECONDS', 15 * MINUTE, { min: 1 }),
    },
    rateLimits: readRateLimits(env),
    serviceClients: parseServiceClients(readJson<unknown>(env, 'SERVICE_CLIENTS')),
    webauthn: readRelyingParty(env),
    totpIssuer: readString(env, 'TOTP_ISSUER', 'Meridian'),
    // On by default in production, like the other protections that only a development setup may drop.
    adminRequireMfa: readFlag(env, 'ADMIN_REQUIRE_MFA', isProduction(env)),
  };
}

function readFlag(env: Env, name: string, fallback: boolean): boolean {
  const value = readOptionalString(env, name)?.trim().toLowerCase();
  if (value === undefined || value === '') return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(`${name} must be "true" or "false", got "${value}"`);
}

/**
 * Passkeys are bound to a domain (the RP id) and accepted only from the web origins listed: by default
 * the host and origin of PUBLIC_BASE_URL, where the web app runs.
 */
function readRelyingParty(env: Env): RelyingParty {
  const base = new URL(readPublicBaseUrl(env));
  const id = readString(env, 'WEBAUTHN_RP_ID', base.hostname);
  const origins = (readOptionalString(env, 'WEBAUTHN_ORIGINS') ?? base.origin)
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of origins) {
    let host: string;
    try {
      host = new URL(origin).hostname;
    } catch {
      throw new ConfigError(`WEBAUTHN_ORIGINS entry "${origin}" is not an origin`);
    }
    if (host !== id && !host.endsWith(`.${id}`)) throw new ConfigError(`WEBAUTHN_ORIGINS entry "${origin}" is not on the relying party's domain "${id}" (WEBAUTHN_RP_ID)`);
  }
  if (origins.length === 0) throw new ConfigError('WEBAUTHN_ORIGINS needs at least one origin');
  return { id, name: readString(env, 'WEBAUTHN_RP_NAME', 'Meridian'), origins };
}

/** `ADMIN_EMAILS`: comma-separated addresses, normalized as sign-in normalizes them; a malformed one stops the start. */
function parseAdminEmails(value: string | undefined): ReadonlySet<string> {
  const emails = new Set<string>();
  for (const entry of (value ?? '').split(',').map((raw) => raw.trim()).filter(Boolean)) {
    const email = normalizeEmail(entry);
    if (!email) throw new ConfigError(`ADMIN_EMAILS entry "${entry}" is not an e-mail address`);
    emails.add(email);
  }
  return emails;
}
