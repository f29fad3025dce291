import type { MailData } from '../mail/mail.templates.js';

/** What the outbox delivers: an e-mail, or the profile given at sign-up, sent to the users service. */
export type OutboxMessage =
  | { kind: 'mail'; to: string; locale: string | null; mail: MailData }
  | { kind: 'profile_seed'; userId: string; displayName?: string; preferredLocale?: string };
