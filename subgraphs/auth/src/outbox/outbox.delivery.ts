import { renderMail } from '../mail/mail.templates.js';
import type { MailTransport } from '../mail/mail.transport.js';
import type { AccountErasure } from '../deletion/account-erasure.client.js';
import type { ProfileSeed } from '../profile-seed/profile-seed.client.js';
import type { DeferredWork, OutboxMessage } from './outbox.model.js';

/** Runs a deferred job in a transaction that also marks its outbox row `outboxId` sent, so it takes effect once. */
export type DeferredWorkRunner = (work: DeferredWork, outboxId: string) => Promise<void>;

/** How each kind of outbox message leaves the service. */
export function createOutboxDelivery(deps: {
  transport: MailTransport;
  seedProfile: (seed: ProfileSeed) => Promise<void>;
  eraseAccount: (erasure: AccountErasure) => Promise<void>;
  runDeferred: DeferredWorkRunner;
  /** The language of an account's profile (null when it has none, or it cannot be told now). */
  profileLocale: (accountId: string) => Promise<string | null>;
}) {
  return async function deliver(message: OutboxMessage, outboxId: string): Promise<void> {
    switch (message.kind) {
      case 'mail': {
        const profile = message.accountId ? await deps.profileLocale(message.accountId) : null;
        const rendered = renderMail(message.mail, profile ?? message.locale);
        await deps.transport.send({ to: message.to, subject: rendered.subject, text: rendered.text, html: rendered.html, language: rendered.language });
        return;
      }
      case 'profile_seed': {
        const { kind: _kind, ...seed } = message;
        await deps.seedProfile(seed);
        return;
      }
      case 'account_erasure': {
        const { kind: _kind, ...erasure } = message;
        await deps.eraseAccount(erasure);
        return;
      }
      default:
        await deps.runDeferred(message, outboxId);
        return;
    }
  };
}
