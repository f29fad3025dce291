import { renderMail } from '../mail/mail.templates.js';
import type { MailTransport } from '../mail/mail.transport.js';
import type { ProfileSeed } from '../profile-seed/profile-seed.client.js';
import type { DeferredWork, OutboxMessage } from './outbox.model.js';

/** Runs a deferred job in a transaction that also marks its outbox row `outboxId` sent, so it takes effect once. */
export type DeferredWorkRunner = (work: DeferredWork, outboxId: string) => Promise<void>;

/** How each kind of outbox message leaves the service. */
export function createOutboxDelivery(deps: { transport: MailTransport; seedProfile: (seed: ProfileSeed) => Promise<void>; runDeferred: DeferredWorkRunner }) {
  return async function deliver(message: OutboxMessage, outboxId: string): Promise<void> {
    switch (message.kind) {
      case 'mail': {
        const rendered = renderMail(message.mail, message.locale);
        await deps.transport.send({ to: message.to, subject: rendered.subject, text: rendered.text, html: rendered.html, language: rendered.language });
        return;
      }
      case 'profile_seed': {
        const { kind: _kind, ...seed } = message;
        await deps.seedProfile(seed);
        return;
      }
      default:
        await deps.runDeferred(message, outboxId);
        return;
    }
  };
}
