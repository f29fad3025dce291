import type { AuthExecutor } from '../db.js';
import type { OutboxRepository } from '../outbox/outbox.repository.js';
import { linkBaseUrl, type EmailLinkBases } from './link-bases.js';
import type { MailData, SecurityNoticeKind } from './mail.templates.js';

/**
 * The language of a mail: a locale, or an account's, which is looked up in the user's profile (the
 * users service owns it) when the mail leaves, the locale given here serving if the profile has none.
 */
export type MailLocale = string | null | { accountId: string; locale: string | null };

/**
 * The e-mails the auth service sends, queued in the caller's transaction. Links are built from one
 * of the configured link bases, chosen by name (`linkBase`, the default when undefined), never from
 * the request (Host header injection cannot redirect them).
 */
export function createMailer(deps: { outbox: OutboxRepository; linkBases: EmailLinkBases }) {
  const link = (base: string | undefined, path: string, token: string) => `${linkBaseUrl(deps.linkBases, base)}${path}?token=${encodeURIComponent(token)}`;
  const send = (tx: AuthExecutor, to: string, language: MailLocale, mail: MailData) =>
    deps.outbox.enqueue(
      tx,
      language !== null && typeof language === 'object'
        ? { kind: 'mail', to, locale: language.locale, accountId: language.accountId, mail }
        : { kind: 'mail', to, locale: language, mail },
    );

  return {
    verifyEmail: (tx: AuthExecutor, to: string, locale: MailLocale, token: string, base?: string) =>
      send(tx, to, locale, { kind: 'verify_email', link: link(base, '/verify-email', token) }),
    accountExists: (tx: AuthExecutor, to: string, locale: MailLocale, base?: string) =>
      send(tx, to, locale, { kind: 'account_exists', resetLink: `${linkBaseUrl(deps.linkBases, base)}/forgot-password` }),
    signupPending: (tx: AuthExecutor, to: string, locale: MailLocale) => send(tx, to, locale, { kind: 'signup_pending' }),
    passwordReset: (tx: AuthExecutor, to: string, locale: MailLocale, token: string, base?: string) =>
      send(tx, to, locale, { kind: 'password_reset', link: link(base, '/reset-password', token) }),
    passwordChanged: (tx: AuthExecutor, to: string, locale: MailLocale) => send(tx, to, locale, { kind: 'password_changed' }),
    emailChangeConfirm: (tx: AuthExecutor, to: string, locale: MailLocale, token: string, base?: string) =>
      send(tx, to, locale, { kind: 'email_change_confirm', link: link(base, '/confirm-email-change', token), newEmail: to }),
    emailChangeRequested: (tx: AuthExecutor, to: string, locale: MailLocale, newEmail: string) =>
      send(tx, to, locale, { kind: 'email_change_requested', newEmail }),
    emailChanged: (tx: AuthExecutor, to: string, locale: MailLocale, newEmail: string) => send(tx, to, locale, { kind: 'email_changed', newEmail }),
    /** Tells the owner about a change to, or a use or failure of, their second factors. */
    securityNotice: (tx: AuthExecutor, to: string, locale: MailLocale, notice: Extract<MailData, { kind: SecurityNoticeKind }>) => send(tx, to, locale, notice),
  };
}

export type Mailer = ReturnType<typeof createMailer>;
