import { rateLimited, validationFailed, type ClientInfo, type FieldViolation, type Viewer } from '@meridian/platform';
import { invalidCredentials, invalidEmail, invalidToken } from '../accounts/accounts.errors.js';
import type { AccountsRepository } from '../accounts/accounts.repository.js';
import type { Reauthentication } from '../accounts/credential-check.js';
import { normalizeEmail } from '../accounts/email.rules.js';
import type { AuditTrail } from '../audit/audit.repository.js';
import type { AuthDb } from '../db.js';
import { readLinkBase, type EmailLinkBases } from '../mail/link-bases.js';
import type { Mailer } from '../mail/mailer.js';
import type { OutboxRepository } from '../outbox/outbox.repository.js';
import type { RateLimits } from '../protection/rate-limits.js';
import type { SessionUseCases } from '../sessions/sessions.usecases.js';
import type { EmailTokensRepository } from '../tokens/email-tokens.repository.js';

const CHANGE_TTL_MS = 24 * 60 * 60 * 1000;

export type EmailChangeUseCases = ReturnType<typeof createEmailChangeUseCases>;

/**
 * Changing the sign-in address: proven by the password now and by a link sent to the new address
 * later. The current address is told at both steps, so a hijacked session cannot move the account
 * away silently.
 */
export function createEmailChangeUseCases(deps: {
  db: AuthDb;
  accounts: AccountsRepository;
  emailTokens: EmailTokensRepository;
  sessions: SessionUseCases;
  reauthenticate: Reauthentication;
  mailer: Mailer;
  linkBases: EmailLinkBases;
  outbox: OutboxRepository;
  wakeOutbox: () => void;
  audit: AuditTrail;
  rateLimits: RateLimits;
  identifierKey: Buffer;
  now?: () => Date;
}) {
  const { db, accounts, emailTokens, mailer, audit } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    /** The answer is the same whether or not the new address already belongs to someone. */
    async requestEmailChange(viewer: Viewer, rawNewEmail: string, password: string, client: ClientInfo, rawLinkBase?: string | null) {
      const violations: FieldViolation[] = [];
      const linkBase = readLinkBase(violations, rawLinkBase, deps.linkBases);
      if (linkBase === null) return validationFailed(violations);
      const proof = await deps.reauthenticate(viewer, password, client);
      if (!('ok' in proof)) return proof;
      const found = proof.credentials;
      const newEmail = normalizeEmail(rawNewEmail);
      if (!newEmail) return invalidEmail();
      if (newEmail === found.account.email) return invalidEmail('This is already your e-mail address');
      const outcome = await db.transaction(async (tx) => {
        if (!(await deps.sessions.isLive(tx, viewer))) return invalidCredentials();
        // Whether the new address is taken is looked up after the answer (sendChangeLink), so both cost the same.
        await deps.outbox.enqueue(tx, { kind: 'email_change_request', userId: viewer.userId, newEmail, locale: found.account.locale, linkBase });
        await mailer.emailChangeRequested(tx, found.account.email, { accountId: found.account.id, locale: found.account.locale }, newEmail);
        await audit.record(tx, client, { kind: 'email_change_requested', userId: viewer.userId, sessionId: viewer.sessionId });
        return { __typename: 'EmailChangeRequested', newEmail } as const;
      });
      deps.wakeOutbox();
      return outcome;
    },

    /**
     * The outbox's half of requestEmailChange: a link to a free address; for a taken one, a notice to
     * its owner and no link (earlier links of the account end too).
     */
    async sendChangeLink(work: { userId: string; newEmail: string; locale: string | null; linkBase?: string }, outboxId: string) {
      const at = now();
      await db.transaction(async (tx) => {
        await deps.outbox.markSent(outboxId, tx);
        const owner = await accounts.findCredentialsByEmail(work.newEmail, tx);
        if (owner) {
          await emailTokens.revokeForUser(tx, work.userId, ['change_email'], at);
          await mailer.accountExists(tx, work.newEmail, { accountId: owner.account.id, locale: owner.account.locale }, work.linkBase);
          return;
        }
        const token = await emailTokens.issue(tx, { purpose: 'change_email', userId: work.userId, email: work.newEmail, expiresAt: new Date(at.getTime() + CHANGE_TTL_MS) }, at);
        await mailer.emailChangeConfirm(tx, work.newEmail, { accountId: work.userId, locale: work.locale }, token, work.linkBase);
      });
    },

    /** Following the link signs no one in: the account is returned only to a request signed in as it. */
    async confirmEmailChange(token: string, viewer: Viewer | null, client: ClientInfo) {
      const rate = await deps.rateLimits.consume('email_token', { ip: client.ip });
      if (!rate.ok) return rateLimited(rate.retryAfterSeconds);
      const at = now();
      const outcome = await db.transaction(async (tx) => {
        const used = await emailTokens.consume(tx, 'change_email', token, at);
        const [account] = used?.userId ? await accounts.findByIds([used.userId], tx) : [];
        if (!used || !account) return invalidToken();
        if (!(await accounts.updateEmail(tx, account.id, used.email))) return invalidToken();
        // Links sent to the old address (a reset, say) must not outlive the move away from it.
        await emailTokens.revokeForUser(tx, account.id, ['reset_password', 'change_email'], at);
        await mailer.emailChanged(tx, account.email, { accountId: account.id, locale: account.locale }, used.email);
        await audit.record(tx, client, { kind: 'email_changed', userId: account.id });
        const user = viewer?.userId === account.id ? { ...account, email: used.email, emailVerified: true } : null;
        return { __typename: 'EmailChanged', email: used.email, user } as const;
      });
      deps.wakeOutbox();
      return outcome;
    },
  };
}
