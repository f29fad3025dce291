import { rateLimited, validationFailed, type ClientInfo, type FieldViolation, type Viewer } from '@meridian/platform';
import { hashingBusy, invalidCredentials, invalidEmail, invalidToken, passwordTooWeak } from '../accounts/accounts.errors.js';
import type { AccountsRepository } from '../accounts/accounts.repository.js';
import { QueueFull } from '../accounts/concurrency-limiter.js';
import type { Reauthentication } from '../accounts/credential-check.js';
import { normalizeEmail } from '../accounts/email.rules.js';
import { identifierOf } from '../accounts/identifiers.js';
import type { PasswordHasher } from '../accounts/password-hasher.js';
import { checkPassword } from '../accounts/password.policy.js';
import type { AuditTrail } from '../audit/audit.repository.js';
import type { AuthDb, AuthExecutor } from '../db.js';
import { readLinkBase, type EmailLinkBases } from '../mail/link-bases.js';
import type { Mailer } from '../mail/mailer.js';
import type { OutboxRepository } from '../outbox/outbox.repository.js';
import type { RateLimits } from '../protection/rate-limits.js';
import type { SecondFactorSignIn } from '../second-factors/second-factor-sign-in.usecases.js';
import type { SessionUseCases } from '../sessions/sessions.usecases.js';
import type { EmailTokensRepository } from '../tokens/email-tokens.repository.js';

const RESET_TTL_MS = 30 * 60 * 1000;

export type PasswordUseCases = ReturnType<typeof createPasswordUseCases>;

/** Forgotten and changed passwords. A new password ends the other sessions and every outstanding link. */
export function createPasswordUseCases(deps: {
  db: AuthDb;
  accounts: AccountsRepository;
  emailTokens: EmailTokensRepository;
  sessions: SessionUseCases;
  hasher: PasswordHasher;
  reauthenticate: Reauthentication;
  mailer: Mailer;
  linkBases: EmailLinkBases;
  outbox: OutboxRepository;
  wakeOutbox: () => void;
  audit: AuditTrail;
  rateLimits: RateLimits;
  identifierKey: Buffer;
  secondFactors: Pick<SecondFactorSignIn, 'challengeIfEnrolled'>;
  now?: () => Date;
}) {
  const { db, accounts, emailTokens, mailer, audit } = deps;
  const now = deps.now ?? (() => new Date());

  /** Stores the new hash and kills what the old password vouched for: links, and sessions but `keep`. */
  async function replacePassword(tx: AuthExecutor, account: { id: string; email: string; locale: string | null }, passwordHash: string, client: ClientInfo, keep?: string) {
    const at = now();
    await accounts.updatePasswordHash(tx, account.id, passwordHash);
    await emailTokens.revokeForUser(tx, account.id, ['reset_password', 'change_email'], at);
    const ended = await deps.sessions.endAllOf(tx, account.id, client, 'password_changed', keep);
    await mailer.passwordChanged(tx, account.email, { accountId: account.id, locale: account.locale });
    return ended;
  }

  return {
    /** Sends a reset link if an account uses the address; the answer is the same either way. Works while sign-in is locked. */
    async requestPasswordReset(rawEmail: string, client: ClientInfo, rawLinkBase?: string | null) {
      const rate = await deps.rateLimits.consume('password_reset', { ip: client.ip, identifier: identifierOf(deps.identifierKey, rawEmail) });
      if (!rate.ok) return rateLimited(rate.retryAfterSeconds);
      const email = normalizeEmail(rawEmail);
      if (!email) return invalidEmail();
      const violations: FieldViolation[] = [];
      const linkBase = readLinkBase(violations, rawLinkBase, deps.linkBases);
      if (linkBase === null) return validationFailed(violations);
      // The lookup, the link and its mail happen after the answer (sendResetLink), for any address alike.
      await deps.outbox.enqueue(db, { kind: 'password_reset_request', email, client, linkBase });
      deps.wakeOutbox();
      return { __typename: 'PasswordResetEmailSent', email } as const;
    },

    /** The outbox's half of requestPasswordReset: a link if an account uses the address, nothing otherwise. */
    async sendResetLink(work: { email: string; client: ClientInfo; linkBase?: string }, outboxId: string) {
      const at = now();
      await db.transaction(async (tx) => {
        await deps.outbox.markSent(outboxId, tx);
        const found = await accounts.findCredentialsByEmail(work.email, tx);
        if (!found) return;
        const token = await emailTokens.issue(tx, { purpose: 'reset_password', userId: found.account.id, email: work.email, expiresAt: new Date(at.getTime() + RESET_TTL_MS) }, at);
        await mailer.passwordReset(tx, work.email, { accountId: found.account.id, locale: found.account.locale }, token, work.linkBase);
        await audit.record(tx, work.client, { kind: 'password_reset_requested', userId: found.account.id });
      });
    },

    /** Sets the new password from a reset link, ends every session, and signs in. */
    async resetPassword(token: string, newPassword: string, client: ClientInfo) {
      const rate = await deps.rateLimits.consume('email_token', { ip: client.ip });
      if (!rate.ok) return rateLimited(rate.retryAfterSeconds);
      const pending = await emailTokens.peek('reset_password', token, now());
      const [holder] = pending?.userId ? await accounts.findByIds([pending.userId]) : [];
      // A link belongs to the address it was sent to: once the account moved away from it, it is dead.
      if (!pending || !holder || holder.email !== pending.email) return invalidToken();
      // Checked before the link is used up, so a refused password leaves the link usable.
      const password = checkPassword(newPassword, { email: holder.email });
      if (!password.ok) return passwordTooWeak(password.reason);
      let passwordHash: string;
      try {
        passwordHash = await deps.hasher.hash(password.password);
      } catch (error) {
        if (error instanceof QueueFull) return hashingBusy();
        throw error;
      }
      const outcome = await db.transaction(async (tx) => {
        const used = await emailTokens.consume(tx, 'reset_password', token, now());
        const [account] = used?.userId ? await accounts.findByIds([used.userId], tx) : [];
        if (!used || !account || account.email !== used.email) return invalidToken();
        await replacePassword(tx, account, passwordHash, client);
        // The link proves the mailbox only: an account with a second factor still has to give it to sign in.
        const challenge = await deps.secondFactors.challengeIfEnrolled(tx, account);
        if (challenge) {
          await audit.record(tx, client, { kind: 'password_reset_completed', userId: account.id });
          return challenge;
        }
        const session = await deps.sessions.start(tx, account, client);
        await audit.record(tx, client, { kind: 'password_reset_completed', userId: account.id, sessionId: session.viewer.sessionId });
        return session;
      });
      deps.wakeOutbox();
      return outcome;
    },

    /** Changes the password with the current one; every other session ends. Wrong guesses count toward the lockout. */
    async changePassword(viewer: Viewer, currentPassword: string, newPassword: string, client: ClientInfo) {
      const proof = await deps.reauthenticate(viewer, currentPassword, client);
      if (!('ok' in proof)) return proof;
      const found = proof.credentials;
      const next = checkPassword(newPassword, { email: found.account.email });
      if (!next.ok) return passwordTooWeak(next.reason);
      try {
        const passwordHash = await deps.hasher.hash(next.password);
        const outcome = await db.transaction(async (tx) => {
          if (!(await deps.sessions.isLive(tx, viewer))) return invalidCredentials();
          const endedSessions = await replacePassword(tx, found.account, passwordHash, client, viewer.sessionId);
          await audit.record(tx, client, { kind: 'password_changed', userId: viewer.userId, sessionId: viewer.sessionId });
          return { __typename: 'PasswordChanged', endedSessions, user: found.account } as const;
        });
        deps.wakeOutbox();
        return outcome;
      } catch (error) {
        if (error instanceof QueueFull) return hashingBusy();
        throw error;
      }
    },
  };
}
