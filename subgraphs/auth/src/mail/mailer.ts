import type { AuthExecutor } from '../db.js';
import type { OutboxRepository } from '../outbox/outbox.repository.js';
import type { MailData } from './mail.templates.js';

/**
 * The e-mails the auth service sends, queued in the caller's transaction. Links are built from the
 * configured public base URL, never from the request (Host header injection cannot redirect them).
 */
export function createMailer(deps: { outbox: OutboxRepository; publicBaseUrl: string }) {
  const link = (path: string, token: string) => `${deps.publicBaseUrl}${path}?token=${encodeURIComponent(token)}`;
  const send = (tx: AuthExecutor, to: string, locale: string | null, mail: MailData) => deps.outbox.enqueue(tx, { kind: 'mail', to, locale, mail });

  return {
    verifyEmail: (tx: AuthExecutor, to: string, locale: string | null, token: string) =>
      send(tx, to, locale, { kind: 'verify_email', link: link('/verify-email', token) }),
    accountExists: (tx: AuthExecutor, to: string, locale: string | null) =>
      send(tx, to, locale, { kind: 'account_exists', resetLink: `${deps.publicBaseUrl}/forgot-password` }),
    signupPending: (tx: AuthExecutor, to: string, locale: string | null) => send(tx, to, locale, { kind: 'signup_pending' }),
    passwordReset: (tx: AuthExecutor, to: string, locale: string | null, token: string) =>
      send(tx, to, locale, { kind: 'password_reset', link: link('/reset-password', token) }),
    passwordChanged: (tx: AuthExecutor, to: string, locale: string | null) => send(tx, to, locale, { kind: 'password_changed' }),
    emailChangeConfirm: (tx: AuthExecutor, to: string, locale: string | null, token: string) =>
      send(tx, to, locale, { kind: 'email_change_confirm', link: link('/confirm-email-change', token), newEmail: to }),
    emailChangeRequested: (tx: AuthExecutor, to: string, locale: string | null, newEmail: string) =>
      send(tx, to, locale, { kind: 'email_change_requested', newEmail }),
    emailChanged: (tx: AuthExecutor, to: string, locale: string | null, newEmail: string) => send(tx, to, locale, { kind: 'email_changed', newEmail }),
  };
}

export type Mailer = ReturnType<typeof createMailer>;
