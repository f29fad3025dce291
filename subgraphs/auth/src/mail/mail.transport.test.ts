import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '@meridian/platform';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { renderMail } from './mail.templates.js';
import { createMailTransport, type OutgoingMail } from './mail.transport.js';

const FROM = 'Meridian <no-reply@meridian.example>';
const LINK = 'https://shop.example/reset-password?token=c2VjcmV0LXRva2Vu&lang=de';
const rendered = renderMail({ kind: 'password_reset', link: LINK }, 'de-AT');
const MAIL: OutgoingMail = { to: 'jane.doe@example.com', ...rendered };

function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log: createLogger({ service: 'mail-test' }, stream), lines, entries };
}

function addresses(field: AddressObject | AddressObject[] | undefined) {
  return [field ?? []].flat().flatMap((group) => group.value.map(({ address, name }) => ({ address, name })));
}

/** What a reader of the message sees, which must be exactly what was rendered. */
function expectDelivered(parsed: ParsedMail) {
  expect(addresses(parsed.to)).toEqual([{ address: 'jane.doe@example.com', name: '' }]);
  expect(addresses(parsed.from)).toEqual([{ address: 'no-reply@meridian.example', name: 'Meridian' }]);
  expect(parsed.subject).toBe('Meridian-Passwort zurücksetzen');
  expect(parsed.text).toBe(rendered.text);
  expect(parsed.html).toBe(rendered.html);
  expect(parsed.headers.get('content-language')).toBe('de');
  expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('createMailTransport without an SMTP URL', () => {
  async function fileSetup() {
    const root = await mkdtemp(join(tmpdir(), 'meridian-mail-'));
    cleanup.push(() => rm(root, { recursive: true, force: true }));
    const mailDir = join(root, 'outbox', 'dev');
    const logger = capturedLogger();
    const transport = createMailTransport({ smtpUrl: undefined, from: FROM, mailDir, log: logger.log });
    cleanup.push(() => transport.close());
    return { mailDir, transport, ...logger };
  }

  it('writes an RFC 5322 message into a new folder, named by time', async () => {
    const { mailDir, transport } = await fileSetup();
    await transport.send(MAIL);

    const files = await readdir(mailDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z-[0-9a-f]{8}\.eml$/);
    const raw = await readFile(join(mailDir, files[0]!));
    expect(raw.toString('latin1')).not.toMatch(/[^\r]\n/);
    expectDelivered(await simpleParser(raw));
  });

  it('logs recipient, subject, file and links, but not the body', async () => {
    const { mailDir, transport, lines, entries } = await fileSetup();
    await transport.send(MAIL);
    await transport.send({ ...MAIL, text: 'See https://a.example/x?y=1. Or https://a.example/x?y=1, or http://b.example/z!', html: '<p>x</p>' });

    const [file1, file2] = (await readdir(mailDir)).sort();
    const [warning, first, second] = entries();
    expect(entries()).toHaveLength(3);
    expect(warning).toMatchObject({ level: 40, msg: 'no SMTP URL configured: mail is written to files, not sent', mailDir });
    expect(first).toMatchObject({
      level: 30,
      msg: 'mail written to file',
      to: 'jane.doe@example.com',
      subject: 'Meridian-Passwort zurücksetzen',
      file: join(mailDir, file1!),
      links: [LINK],
    });
    expect(second).toMatchObject({ file: join(mailDir, file2!), links: ['https://a.example/x?y=1', 'http://b.example/z'] });
    const logged = lines.join('');
    expect(logged).not.toContain('Wir haben eine Anfrage erhalten');
    expect(logged).not.toContain('<p');
  });

  it('names concurrent messages apart', async () => {
    const { mailDir, transport } = await fileSetup();
    await Promise.all(Array.from({ length: 5 }, () => transport.send(MAIL)));
    expect(new Set(await readdir(mailDir)).size).toBe(5);
  });
});

describe('createMailTransport with an SMTP URL', () => {
  interface Received {
    mailFrom: string | undefined;
    rcptTo: string[];
    raw: Buffer;
  }

  async function smtpServer(options: SMTPServerOptions = {}) {
    const received: Received[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const { mailFrom, rcptTo } = session.envelope;
          received.push({ mailFrom: mailFrom ? mailFrom.address : undefined, rcptTo: rcptTo.map((rcpt) => rcpt.address), raw: Buffer.concat(chunks) });
          callback();
        });
      },
      ...options,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.server.address() as AddressInfo;
    return { port, received };
  }

  /** A port that was free a moment ago and has nobody listening now. */
  async function closedPort() {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }

  function smtpSetup(smtpUrl: string) {
    const logger = capturedLogger();
    const transport = createMailTransport({ smtpUrl, from: FROM, mailDir: join(tmpdir(), 'never-written'), log: logger.log });
    cleanup.push(() => transport.close());
    return { transport, ...logger };
  }

  it('delivers the message to the SMTP server', async () => {
    const { port, received } = await smtpServer();
    const { transport, lines } = smtpSetup(`smtp://127.0.0.1:${port}`);
    await transport.send(MAIL);

    expect(received).toHaveLength(1);
    expect(received[0]!.mailFrom).toBe('no-reply@meridian.example');
    expect(received[0]!.rcptTo).toEqual(['jane.doe@example.com']);
    expectDelivered(await simpleParser(received[0]!.raw));
    expect(lines).toEqual([]);
  });

  it('reuses its pooled connection for further messages', async () => {
    let connections = 0;
    const { port, received } = await smtpServer({
      onConnect(_session, callback) {
        connections += 1;
        callback();
      },
    });
    const { transport } = smtpSetup(`smtp://127.0.0.1:${port}`);
    for (let index = 0; index < 3; index += 1) await transport.send({ ...MAIL, to: `user${index}@example.com` });
    expect(received.map((mail) => mail.rcptTo)).toEqual([['user0@example.com'], ['user1@example.com'], ['user2@example.com']]);
    expect(connections).toBe(1);
  });

  it('authenticates with the credentials in the URL, percent-decoded', async () => {
    const logins: { username: unknown; password: unknown }[] = [];
    const { port, received } = await smtpServer({
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        logins.push({ username: auth.username, password: auth.password });
        callback(null, { user: auth.username });
      },
    });
    const { transport } = smtpSetup(`smtp://mailer:p%40ss%3Aw0rd@127.0.0.1:${port}`);
    await transport.send(MAIL);
    expect(logins).toEqual([{ username: 'mailer', password: 'p@ss:w0rd' }]);
    expect(received).toHaveLength(1);
  });

  it('rejects when the server refuses the message, so the caller can retry', async () => {
    const { port, received } = await smtpServer({
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
      },
    });
    const { transport } = smtpSetup(`smtp://127.0.0.1:${port}`);
    await expect(transport.send(MAIL)).rejects.toMatchObject({ responseCode: 550 });
    expect(received).toEqual([]);
  });

  it('rejects when no server listens', async () => {
    const { transport } = smtpSetup(`smtp://127.0.0.1:${await closedPort()}`);
    await expect(transport.send(MAIL)).rejects.toMatchObject({ code: 'ESOCKET', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('refuses a URL that is not smtp:// or smtps://, without echoing it', () => {
    expect(() => smtpSetup('http://user:hunter2@mail.example')).toThrow(new Error('the SMTP URL must start with smtp:// or smtps://'));
  });
});
