import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@meridian/platform';
import nodemailer, { type SendMailOptions } from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** BCP 47 tag of the content, sent as `Content-Language`. */
  language: string;
}

export interface MailTransport {
  /** Resolves once the message is accepted (SMTP) or written; rejects otherwise, for the caller to retry. */
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}

/**
 * The mail transport every service that sends mail uses (auth, notifications).
 * Sends through SMTP when `smtpUrl` is set (`smtp://user:pass@host:587`, `smtps://…`); without it,
 * writes each message as an `.eml` file into `mailDir` and logs its links, for development.
 */
export function createMailTransport(options: { smtpUrl: string | undefined; from: string; mailDir: string; log: Logger }): MailTransport {
  return options.smtpUrl ? smtpTransport(options.smtpUrl, options.from) : fileTransport(options.from, options.mailDir, options.log);
}

function message(from: string, mail: OutgoingMail): SendMailOptions {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: {
      'Content-Language': mail.language,
      // RFC 3834: tells vacation responders and other robots not to answer.
      'Auto-Submitted': 'auto-generated',
    },
  };
}

function smtpTransport(smtpUrl: string, from: string): MailTransport {
  // The URL carries the password: name the problem, never the value.
  if (!/^smtps?:\/\//i.test(smtpUrl)) throw new Error('the SMTP URL must start with smtp:// or smtps://');
  // Nodemailer waits up to 2 minutes for a connection and 10 for a stalled socket by default; a
  // relay that slow holds up the outbox (a failed attempt is retried with backoff).
  const transporter = nodemailer.createTransport({ url: smtpUrl, pool: true, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  return {
    async send(mail) {
      await transporter.sendMail(message(from, mail));
    },
    async close() {
      transporter.close();
    },
  };
}

function fileTransport(from: string, mailDir: string, log: Logger): MailTransport {
  // RFC 5322 lines end in CRLF; the stream transport writes LF unless told otherwise.
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  log.warn({ mailDir }, 'no SMTP URL configured: mail is written to files, not sent');
  return {
    async send(mail) {
      const { message: raw } = await composer.sendMail(message(from, mail));
      if (!Buffer.isBuffer(raw)) throw new Error('the stream transport returned a stream instead of a buffer');
      await mkdir(mailDir, { recursive: true });
      const file = join(mailDir, `${new Date().toISOString().replaceAll(':', '-')}-${randomBytes(4).toString('hex')}.eml`);
      await writeFile(file, raw, { flag: 'wx' });
      log.info({ to: mail.to, subject: mail.subject, file, links: linksIn(mail.text) }, 'mail written to file');
    },
    async close() {
      composer.close();
    },
  };
}

/** The http(s) URLs in a text, without the sentence punctuation that may follow them. */
function linksIn(text: string): string[] {
  const links = (text.match(/https?:\/\/[^\s<>"]+/g) ?? []).map((link) => link.replace(/[.,;:!?)]+$/, ''));
  return [...new Set(links)];
}
