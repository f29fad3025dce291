import { DISPLAY_NAME_MAX_LENGTH, rateLimited, readLocale, readText, validationFailed, type ClientInfo, type FieldViolation } from '@meridian/platform';
import { hashingBusy, invalidEmail, invalidToken, passwordTooWeak } from '../accounts/accounts.errors.js';
import type { AccountsRepository } from '../accounts/accounts.repository.js';
import { QueueFull } from '../accounts/concurrency-limiter.js';
import { normalizeEmail } from '../accounts/email.rules.js';
import { identifierOf } from '../accounts/identifiers.js';
import type { PasswordHasher } from '../accounts/password-hasher.js';
import { checkPassword, normalizePassword } from '../accounts/password.policy.js';
import type { AuditTrail } from '../audit/audit.repository.js';
import type { AuthDb } from '../db.js';
import { readLinkBase, type EmailLinkBases } from '../mail/link-bases.js';
import type { Mailer } from '../mail/mailer.js';
import type { OutboxRepository } from '../outbox/outbox.repository.js';
import type { RateLimits } from '../protection/rate-limits.js';
import type { IssuedSession } from '../sessions/sessions.model.js';
import type { SessionUseCases } from '../sessions/sessions.usecases.js';
import type { EmailTokensRepository } from '../tokens/email-tokens.repository.js';
import type { RegistrationsRepository } from './registrations.repository.js';

export interface RegisterInput {
  email: string;
  password: string;
  displayName?: string | null;
  preferredLocale?: string | null;
}

const VERIFICATION_TTL_MS = 24 * 60 * 60 * 1000;

const verificationEmailSent = (email: string) => ({ __typename: 'VerificationEmailSent', email }) as const;

export type SignUpUseCases = ReturnType<typeof createSignUpUseCases>;

// How many of an address's pending sign-ups a resend request compares its password with.
const RESEND_CANDIDATES = 5;

/**
 * Sign-up with a proven address. `register` answers every well-formed request the same way: a free
 * address gets a verification link; a taken one, or one whose earlier sign-up is still waiting, a
 * notice to its owner and no link. Each sign-up keeps its own password until its link is followed,
 * and a new link is sent only to whoever knows that password (`requestEmailVerification`), so
 * someone who registers another person's address cannot get that person to activate it with the
 * intruder's password (account pre-hijacking).
 */
export function createSignUpUseCases(deps: {
  db: AuthDb;
  accounts: AccountsRepository;
  registrations: RegistrationsRepository;
  emailTokens: EmailTokensRepository;
  sessions: SessionUseCases;
  hasher: PasswordHasher;
  mailer: Mailer;
  linkBases: EmailLinkBases;
  outbox: OutboxRepository;
  wakeOutbox: () => void;
  audit: AuditTrail;
  rateLimits: RateLimits;
  identifierKey: Buffer;
  now?: () => Date;
}) {
  const { db, accounts, registrations, emailTokens, mailer, audit } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    /** `linkBase`: which configured base the verification link opens (the default when omitted). */
    async register(input: RegisterInput, client: ClientInfo, rawLinkBase?: string | null) {
      const rate = await deps.rateLimits.consume('register', { ip: client.ip, identifier: identifierOf(deps.identifierKey, input.email) });
      if (!rate.ok) return rateLimited(rate.retryAfterSeconds);
      const email = normalizeEmail(input.email);
      if (!email) return invalidEmail();
      const password = checkPassword(input.password, { email });
      if (!password.ok) return passwordTooWeak(password.reason);
      const violations: FieldViolation[] = [];
      const displayName = readText(violations, 'displayName', input.displayName, { maxLength: DISPLAY_NAME_MAX_LENGTH });
      const locale = readLocale(violations, 'preferredLocale', input.preferredLocale);
      const linkBase = readLinkBase(violations, rawLinkBase, deps.linkBases);
      if (violations.length > 0 || linkBase === null) return validationFailed(violations);

      let passwordHash: string;
      try {
        // Hashed whether or not the address is taken, so both answers cost the same.
        passwordHash = await deps.hasher.hash(password.password);
      } catch (error) {
        if (error instanceof QueueFull) return hashingBusy();
        throw error;
      }
      // Whether the address is taken is looked up after the answer (completeSignUp), so both cost the same.
      await deps.outbox.enqueue(db, { kind: 'sign_up', email, passwordHash, displayName, locale, client, linkBase });
      deps.wakeOutbox();
      return verificationEmailSent(email);
    },

    /** The outbox's half of register: a pending sign-up and its link, or a notice to whoever holds or awaits the address. */
    async completeSignUp(
      work: { email: string; passwordHash: string; displayName: string | null; locale: string | null; client: ClientInfo; linkBase?: string },
      outboxId: string,
    ) {
      const { email, passwordHash, displayName, locale, client, linkBase } = work;
      const at = now();
      await db.transaction(async (tx) => {
        await deps.outbox.markSent(outboxId, tx);
        const existing = await accounts.findCredentialsByEmail(email, tx);
        if (existing) {
          await mailer.accountExists(tx, email, { accountId: existing.account.id, locale: existing.account.locale ?? locale }, linkBase);
          await audit.record(tx, client, { kind: 'registration_requested', userId: existing.account.id, details: { addressTaken: true } });
          return;
        }
        const expiresAt = new Date(at.getTime() + VERIFICATION_TTL_MS);
        const waiting = await registrations.pending(tx, email, at, 1);
        const registrationId = await registrations.create(tx, { email, passwordHash, displayName, locale, expiresAt });
        if (waiting.length > 0) {
          await mailer.signupPending(tx, email, locale);
        } else {
          const token = await emailTokens.issue(tx, { purpose: 'verify_email', registrationId, email, expiresAt }, at);
          await mailer.verifyEmail(tx, email, locale, token, linkBase);
        }
        await audit.record(tx, client, { kind: 'registration_requested', details: { addressTaken: false, signUpWaiting: waiting.length > 0 } });
      });
    },

    /**
     * A fresh link for the address's pending sign-up made with this password; its earlier links stop
     * working. Same answer, after the same argon2 work, whatever the address and password.
     */
    async requestEmailVerification(rawEmail: string, rawPassword: string, client: ClientInfo, rawLinkBase?: string | null) {
      const rate = await deps.rateLimits.consume('verification_email', { ip: client.ip, identifier: identifierOf(deps.identifierKey, rawEmail) });
      if (!rate.ok) return rateLimited(rate.retryAfterSeconds);
      const email = normalizeEmail(rawEmail);
      if (!email) return invalidEmail();
      const violations: FieldViolation[] = [];
      const linkBase = readLinkBase(violations, rawLinkBase, deps.linkBases);
      if (linkBase === null) return validationFailed(violations);
      const password = normalizePassword(rawPassword);
      const at = now();
      const candidates = password.ok ? await registrations.pending(db, email, at, RESEND_CANDIDATES) : [];
      let owned: (typeof candidates)[number] | undefined;
      try {
        if (candidates.length === 0 && password.ok) await deps.hasher.verifyAgainstDummy(password.password);
        // Every candidate is checked, also after a match, so the work does not depend on which one matched.
        for (const candidate of candidates) {
          if (password.ok && (await deps.hasher.verify(candidate.passwordHash, password.password))) owned ??= candidate;
        }
      } catch (error) {
        if (error instanceof QueueFull) return hashingBusy();
        throw error;
      }
      // Written with or without a match, so a right password costs no more than a wrong one (renewVerification).
      await deps.outbox.enqueue(db, { kind: 'verification_resend', email, registrationId: owned?.id ?? null, locale: owned?.locale ?? null, linkBase });
      deps.wakeOutbox();
      return verificationEmailSent(email);
    },

    /** The outbox's half of requestEmailVerification: a fresh link for the matched sign-up, if it is still waiting. */
    async renewVerification(work: { email: string; registrationId: string | null; locale: string | null; linkBase?: string }, outboxId: string) {
      const { email, registrationId } = work;
      const at = now();
      await db.transaction(async (tx) => {
        await deps.outbox.markSent(outboxId, tx);
        if (registrationId === null || !(await registrations.findPending(tx, registrationId, at))) return;
        const expiresAt = new Date(at.getTime() + VERIFICATION_TTL_MS);
        await registrations.extend(tx, registrationId, expiresAt);
        const token = await emailTokens.issue(tx, { purpose: 'verify_email', registrationId, email, expiresAt }, at);
        await mailer.verifyEmail(tx, email, work.locale, token, work.linkBase);
      });
    },

    /** Turns the sign-up the link belongs to into an account, with that sign-up's password, and signs it in. */
    async verifyEmail(token: string, client: ClientInfo): Promise<IssuedSession | ReturnType<typeof invalidToken> | ReturnType<typeof rateLimited>> {
      const rate = await deps.rateLimits.consume('email_token', { ip: client.ip });
      if (!rate.ok) return rateLimited(rate.retryAfterSeconds);
      const at = now();
      const outcome = await db.transaction(async (tx) => {
        const used = await emailTokens.consume(tx, 'verify_email', token, at);
        const registration = used?.registrationId ? await registrations.findPending(tx, used.registrationId, at) : null;
        if (!registration) return invalidToken();
        const account = await accounts.insert(tx, { email: registration.email, passwordHash: registration.passwordHash, emailVerified: true, locale: registration.locale });
        if (!account) return invalidToken();
        await registrations.complete(tx, registration, at);
        const session = await deps.sessions.start(tx, account, client);
        if (registration.displayName || registration.locale) {
          await deps.outbox.enqueue(tx, {
            kind: 'profile_seed',
            userId: account.id,
            ...(registration.displayName ? { displayName: registration.displayName } : {}),
            ...(registration.locale ? { preferredLocale: registration.locale } : {}),
          });
        }
        await audit.record(tx, client, { kind: 'email_verified', userId: account.id });
        await audit.record(tx, client, { kind: 'sign_in_succeeded', userId: account.id, sessionId: session.viewer.sessionId });
        return session;
      });
      deps.wakeOutbox();
      return outcome;
    },
  };
}
