import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  language: string | null;
  /** The `token` query parameter of the first link in the mail, if any. */
  token: string | null;
  /** The first http(s) link in the text. */
  link: string | null;
}

export interface Mailbox {
  /** `smtp://127.0.0.1:<port>`, for SMTP_URL. */
  url: string;
  received: ReceivedMail[];
  /** The first mail (already received or still to come) that matches. */
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Mail sent to an address so far. */
  to(address: string): ReceivedMail[];
  /** From now on the relay refuses mail to the address (550, as for a mailbox that does not exist), so it stays in the outbox. */
  refuse(address: string): void;
  /** The relay accepts mail to the address again. */
  accept(address: string): void;
  close(): Promise<void>;
}

/** A real SMTP server in the test process: the auth service delivers to it exactly as to any relay. */
export async function startMailbox(): Promise<Mailbox> {
  const received: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  const refused = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // No PTR query to the system resolver for each client (loopback only, but a DNS query all the same).
    disableReverseLookup: true,
    logger: false,
    onRcptTo(address, _session, done) {
      done(refused.has(address.address.toLowerCase()) ? Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }) : undefined);
    },
    onData(stream, session, done) {
      simpleParser(stream)
        .then((parsed) => {
          const text = parsed.text ?? '';
          const link = /https?:\/\/\S+/.exec(text)?.[0] ?? null;
          for (const recipient of session.envelope.rcptTo) {
            received.push({
              to: recipient.address.toLowerCase(),
              subject: parsed.subject ?? '',
              text,
              html: typeof parsed.html === 'string' ? parsed.html : '',
              language: (parsed.headers.get('content-language') as string | undefined) ?? null,
              link,
              token: link ? new URL(link).searchParams.get('token') : null,
            });
          }
          for (const wake of waiters) wake();
          done();
        })
        .catch(done);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };

  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    to: (address) => received.filter((mail) => mail.to === address.toLowerCase()),
    refuse: (address) => void refused.add(address.toLowerCase()),
    accept: (address) => void refused.delete(address.toLowerCase()),
    waitFor(predicate, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = received.find(predicate);
          if (!match) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(match);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching mail within ${timeoutMs} ms; received: ${received.map((mail) => `${mail.to} "${mail.subject}"`).join(', ')}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
