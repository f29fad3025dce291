import type { ClientInfo } from '@meridian/platform';
import type { MailData } from '../mail/mail.templates.js';

/**
 * Work a request leaves for after its answer. Requests that must answer a known and an unknown
 * address alike (and in the same time) write only this job, whatever the address; the job then
 * looks the address up and writes tokens, mail and audit events in its own transaction.
 */
export type DeferredWork = (
  | { kind: 'password_reset_request'; email: string; client: ClientInfo }
  | { kind: 'sign_up'; email: string; passwordHash: string; displayName: string | null; locale: string | null; client: ClientInfo }
  /** `registrationId`: the pending sign-up the password matched, or null (the job then does nothing). */
  | { kind: 'verification_resend'; email: string; registrationId: string | null; locale: string | null }
  | { kind: 'email_change_request'; userId: string; newEmail: string; locale: string | null }
) & {
  /** The name of the link base the request chose (EMAIL_LINK_BASES); absent in jobs written before there were several. */
  linkBase?: string;
};

export type DeferredWorkKind = DeferredWork['kind'];

/**
 * What the outbox delivers: an e-mail, the profile given at sign-up (sent to the users service), the
 * erasure of a deleted account's data in another subgraph (through the router), or deferred work.
 */
export type OutboxMessage =
  /** `accountId`: the mail is about an account, and goes out in the language of its profile (falling back to `locale`). */
  | { kind: 'mail'; to: string; locale: string | null; accountId?: string; mail: MailData }
  | { kind: 'profile_seed'; userId: string; displayName?: string; preferredLocale?: string }
  | { kind: 'account_erasure'; subgraph: string; userId: string }
  | DeferredWork;
