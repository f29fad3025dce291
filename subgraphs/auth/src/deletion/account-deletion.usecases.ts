import type { ClientInfo, Viewer } from '@meridian/platform';
import { invalidCredentials } from '../accounts/accounts.errors.js';
import type { Account } from '../accounts/accounts.model.js';
import type { AccountsRepository } from '../accounts/accounts.repository.js';
import type { Reauthentication } from '../accounts/credential-check.js';
import type { AuditTrail } from '../audit/audit.repository.js';
import type { AuthDb } from '../db.js';
import type { OutboxMessage } from '../outbox/outbox.model.js';
import type { OutboxRepository } from '../outbox/outbox.repository.js';
import type { SessionsRepository } from '../sessions/sessions.repository.js';
import type { SessionUseCases } from '../sessions/sessions.usecases.js';
import type { RegistrationsRepository } from '../signup/registrations.repository.js';
import type { EmailTokensRepository } from '../tokens/email-tokens.repository.js';

export type AccountDeletionUseCases = ReturnType<typeof createAccountDeletionUseCases>;

const ERASURE_SWEEP_MARGIN_SECONDS = 60;

/** Unsent outbox messages that carry the account's address or are about the account. */
function concerns(message: OutboxMessage, account: Pick<Account, 'id' | 'email'>): boolean {
  switch (message.kind) {
    case 'mail':
      return message.to === account.email;
    case 'profile_seed':
    case 'email_change_request':
      return message.userId === account.id;
    case 'password_reset_request':
    case 'sign_up':
    case 'verification_resend':
      return message.email === account.email;
    case 'account_erasure':
      return false;
  }
}

/**
 * Account deletion (app stores require it in the app). The account row goes, so its id, address and
 * password leave `auth` with everything tied to them (links, refresh tokens, sign-ups, unsent mail);
 * its sessions stay ended and anonymous until housekeeping removes them, so the router's denylist
 * keeps refusing their access tokens; its audit events stay, without networks or devices, under the
 * now pseudonymous id. The other subgraphs erase their part when the outbox delivers the erasures
 * enqueued in the same transaction (ACCOUNT_ERASURE_TARGETS), retried until each succeeds, and once
 * more after the access-token lifetime.
 */
export function createAccountDeletionUseCases(deps: {
  db: AuthDb;
  accounts: AccountsRepository;
  sessions: SessionUseCases;
  sessionsRepository: SessionsRepository;
  emailTokens: EmailTokensRepository;
  registrations: RegistrationsRepository;
  outbox: OutboxRepository;
  audit: AuditTrail;
  reauthenticate: Reauthentication;
  /** The subgraphs to send an erasure to (ACCOUNT_ERASURE_TARGETS). */
  erasureTargets: readonly string[];
  /** ACCESS_TOKEN_TTL_SECONDS: after it, no access token of the deleted account passes anywhere. */
  accessTokenTtlSeconds: number;
  wakeOutbox: () => void;
}) {
  const { db, accounts, audit, outbox } = deps;

  return {
    /** Needs the password, counted like a sign-in (rate limit and lockout), as for a password change. */
    async deleteAccount(viewer: Viewer, password: string, client: ClientInfo) {
      const proof = await deps.reauthenticate(viewer, password, client);
      if (!('ok' in proof)) return proof;
      const outcome = await db.transaction(async (tx) => {
        // Locked, and still with the password just checked: a sign-in or change racing this waits, then finds nothing.
        const locked = await accounts.lockCredentials(tx, viewer.userId);
        if (!locked || locked.passwordHash !== proof.credentials.passwordHash || !(await deps.sessions.isLive(tx, viewer))) return invalidCredentials();
        const { account } = locked;
        const endedSessions = await deps.sessions.endAllOf(tx, account.id, client, 'account_deleted');
        await deps.sessionsRepository.detachFromAccount(tx, account.id);
        await deps.emailTokens.deleteForUser(tx, account.id);
        await deps.registrations.deleteByEmail(tx, account.email);
        await outbox.deletePending(tx, (message) => concerns(message, account));
        for (const subgraph of deps.erasureTargets) {
          await outbox.enqueue(tx, { kind: 'account_erasure', subgraph, userId: account.id });
          // Once more when the account's last access token has expired: a write made with one in the moment
          // before the router's denylist refused it (or while the router could not read the denylist) goes too.
          await outbox.enqueue(tx, { kind: 'account_erasure', subgraph, userId: account.id }, { delaySeconds: deps.accessTokenTtlSeconds + ERASURE_SWEEP_MARGIN_SECONDS });
        }
        await accounts.delete(tx, account.id);
        await audit.record(tx, client, { kind: 'account_deleted', userId: account.id, details: { endedSessions, erasureRequested: deps.erasureTargets.join(',') } });
        await audit.forget(tx, account.id);
        return { __typename: 'AccountDeleted', id: account.id, endedSessions } as const;
      });
      deps.wakeOutbox();
      return outcome;
    },
  };
}
