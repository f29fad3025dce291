import { sql } from 'drizzle-orm';
import { bigint, boolean, customType, index, integer, jsonb, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, updatedAt } from '../columns.js';

export const authSchema = pgSchema('auth');

/** A 64-bit transaction id (PostgreSQL 13+), compared with snapshot horizons; carried as text. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

export const users = authSchema.table(
  'users',
  {
    id: idColumn('User'),
    /** Normalized (trimmed, NFKC, lower-case): the unique sign-in identifier. */
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    emailVerified: boolean('email_verified').notNull().default(false),
    roles: text('roles').array().notNull().default(sql`'{customer}'::text[]`),
    /** BCP 47 language the account's e-mails are written in (given at sign-up). */
    locale: text('locale'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [uniqueIndex('users_email_key').on(table.email)],
);

export const sessions = authSchema.table(
  'sessions',
  {
    id: idColumn(),
    /**
     * Null once the account is deleted: its ended sessions stay, without anything about the person,
     * so the router's denylist still refuses their access tokens until those expire.
     */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    userAgent: text('user_agent'),
    /** "Firefox 133 on Windows", derived from the user agent when the session started. */
    deviceLabel: text('device_label'),
    /** The client's network, not its address: /24 for IPv4, /48 for IPv6. */
    ipNetwork: text('ip_network'),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull().defaultNow(),
    /** Absolute end of the session, whatever the refreshes. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /**
     * The transaction that ended the session. The router's denylist reads revocations by transaction
     * id against a snapshot horizon, so one that commits late is never skipped.
     */
    revokedXid: xid8('revoked_xid'),
    /** When the person last proved who they are in this session (sign-in or step-up): the access token's `auth_time`. */
    authTime: timestamp('auth_time', { withTimezone: true }).notNull().defaultNow(),
    /** How they proved it, as RFC 8176 method references (`pwd`, `otp`, `hwk`, `mfa`…): the access token's `amr`. */
    amr: text('amr').array().notNull().default(sql`'{pwd}'::text[]`),
  },
  (table) => [
    index('sessions_user_id_idx').on(table.userId),
    index('sessions_revoked_at_idx').on(table.revokedAt).where(sql`revoked_at is not null`),
    index('sessions_revoked_xid_idx').on(table.revokedXid).where(sql`revoked_xid is not null`),
  ],
);

export const refreshTokens = authSchema.table(
  'refresh_tokens',
  {
    id: idColumn(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    /** SHA-256 of the token (base64url); the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Set when the token is exchanged; a token is good for one exchange only. */
    usedAt: timestamp('used_at', { withTimezone: true }),
    /** The token this one was exchanged for (its child in the session's rotation chain). */
    replacedById: uuid('replaced_by_id'),
  },
  (table) => [uniqueIndex('refresh_tokens_token_hash_key').on(table.tokenHash), index('refresh_tokens_session_id_idx').on(table.sessionId)],
);

/**
 * A sign-up waiting for its e-mail address to be proven. The account is created from it when the
 * link is followed, with this registration's password; registrations of one address by different
 * people never overwrite each other.
 */
export const registrations = authSchema.table(
  'registrations',
  {
    id: idColumn(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    displayName: text('display_name'),
    locale: text('locale'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (table) => [index('registrations_email_idx').on(table.email)],
);

/** Single-use links sent by e-mail: verify an address, reset a password, confirm a new address. */
export const emailTokens = authSchema.table(
  'email_tokens',
  {
    id: idColumn(),
    purpose: text('purpose', { enum: ['verify_email', 'reset_password', 'change_email'] }).notNull(),
    /** HMAC-SHA256 of the token under the service's secret (base64url); the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    registrationId: uuid('registration_id').references(() => registrations.id, { onDelete: 'cascade' }),
    /** The address the link was sent to (for an e-mail change: the new address). */
    email: text('email').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('email_tokens_token_hash_key').on(table.tokenHash),
    index('email_tokens_user_id_idx').on(table.userId, table.purpose),
    index('email_tokens_registration_id_idx').on(table.registrationId),
  ],
);

/** Messages to send (e-mails, profile seeds), written in the transaction that decides to send them. */
export const outbox = authSchema.table(
  'outbox',
  {
    id: idColumn(),
    kind: text('kind').notNull(),
    /** AES-256-GCM encrypted JSON: it holds links with live tokens until it is sent, then it is cleared. */
    payload: text('payload'),
    createdAt: createdAt(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    deadAt: timestamp('dead_at', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (table) => [index('outbox_pending_idx').on(table.nextAttemptAt).where(sql`sent_at is null and dead_at is null`)],
);

/** Security-relevant events, without secrets: who, what, when, from where. */
export const auditEvents = authSchema.table(
  'audit_events',
  {
    id: idColumn(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    kind: text('kind').notNull(),
    userId: uuid('user_id'),
    sessionId: uuid('session_id'),
    ipNetwork: text('ip_network'),
    userAgent: text('user_agent'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (table) => [index('audit_events_user_id_idx').on(table.userId, table.occurredAt), index('audit_events_kind_idx').on(table.kind, table.occurredAt)],
);

/** Counters of rate-limiter-flexible (RateLimiterDrizzle), shared by every replica of the service. */
export const rateLimits = authSchema.table('rate_limits', {
  key: text('key').primaryKey(),
  points: integer('points').notNull().default(0),
  expire: timestamp('expire', { withTimezone: true }),
});

/** An account's TOTP authenticator (RFC 6238): at most one, active once a first code confirmed it. */
export const totpFactors = authSchema.table('totp_factors', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** The shared secret, AES-256-GCM encrypted under a key derived from AUTH_SECRET. */
  secret: text('secret').notNull(),
  /** Null while enrolment waits for its first code. */
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  /** The last time step a code was accepted for: codes of it and earlier steps are refused (no replay). */
  lastUsedStep: bigint('last_used_step', { mode: 'number' }),
  createdAt: createdAt(),
});

/** WebAuthn credentials (passkeys) of an account, each named by its owner. */
export const passkeys = authSchema.table(
  'passkeys',
  {
    id: idColumn(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The authenticator's credential id, base64url. */
    credentialId: text('credential_id').notNull(),
    /** The COSE public key, base64url. */
    publicKey: text('public_key').notNull(),
    signCount: bigint('sign_count', { mode: 'number' }).notNull().default(0),
    transports: text('transports').array().notNull().default(sql`'{}'::text[]`),
    name: text('name').notNull(),
    /** Whether the authenticator says the credential is synced (backed up) to other devices. */
    backedUp: boolean('backed_up').notNull().default(false),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (table) => [uniqueIndex('passkeys_credential_id_key').on(table.credentialId), index('passkeys_user_id_idx').on(table.userId)],
);

/** Single-use recovery codes, stored as keyed hashes; a new set replaces the old one. */
export const recoveryCodes = authSchema.table(
  'recovery_codes',
  {
    id: idColumn(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** HMAC-SHA256 of the normalized code under a key derived from AUTH_SECRET. */
    codeHash: text('code_hash').notNull(),
    createdAt: createdAt(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (table) => [uniqueIndex('recovery_codes_user_code_key').on(table.userId, table.codeHash)],
);

/**
 * A ceremony in progress: a sign-in waiting for its second factor, a passkey registration or sign-in
 * waiting for the authenticator's answer, a step-up. Used once; expires after five minutes.
 */
export const authChallenges = authSchema.table(
  'auth_challenges',
  {
    id: idColumn(),
    purpose: text('purpose', { enum: ['second_factor', 'passkey_sign_in', 'passkey_registration', 'reauthentication'] }).notNull(),
    /** Null for a passkey sign-in, which learns the account from the credential. */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    /** For a step-up: the session it refreshes. */
    sessionId: uuid('session_id'),
    /** The WebAuthn challenge (base64url) the authenticator must sign, when the ceremony has one. */
    webauthnChallenge: text('webauthn_challenge'),
    /** The first factor's lockout key (pseudonymized e-mail): second-factor failures count toward it. */
    identifier: text('identifier'),
    /** How the first factor was proven (`pwd`), carried into the session's `amr`. */
    firstFactor: text('first_factor'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (table) => [index('auth_challenges_expires_at_idx').on(table.expiresAt)],
);

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type RefreshTokenRow = typeof refreshTokens.$inferSelect;
export type RegistrationRow = typeof registrations.$inferSelect;
export type EmailTokenRow = typeof emailTokens.$inferSelect;
export type OutboxRow = typeof outbox.$inferSelect;
