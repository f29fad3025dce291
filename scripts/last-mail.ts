import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';

/**
 * The newest e-mail the graph wrote to `<dataDir>/mail` (the development default, when no SMTP_URL
 * is set): its recipient, subject, first link and that link's `token`.
 */
export async function lastMail(dataDir: string): Promise<{ to: string; subject: string; link: string | null; token: string | null } | null> {
  const folder = path.join(dataDir, 'mail');
  const files = (await readdir(folder).catch(() => [] as string[])).filter((file) => file.endsWith('.eml')).sort();
  const newest = files.at(-1);
  if (!newest) return null;
  const mail = await simpleParser(await readFile(path.join(folder, newest)));
  const link = /https?:\/\/\S+/.exec(mail.text ?? '')?.[0] ?? null;
  const to = Array.isArray(mail.to) ? mail.to[0]?.text : mail.to?.text;
  return { to: to ?? '', subject: mail.subject ?? '', link, token: link ? new URL(link).searchParams.get('token') : null };
}

/**
 * The newest e-mail in `<dataDir>/mail` whose subject contains `subjectContains` (any when omitted): its
 * recipient, subject, language and text part, e.g. an order's confirmation (`pnpm mail:last`).
 */
export async function newestMail(dataDir: string, subjectContains = ''): Promise<{ to: string; subject: string; language: string | null; text: string } | null> {
  const folder = path.join(dataDir, 'mail');
  const files = (await readdir(folder).catch(() => [] as string[])).filter((file) => file.endsWith('.eml')).sort().reverse();
  for (const file of files) {
    const mail = await simpleParser(await readFile(path.join(folder, file)));
    if (!(mail.subject ?? '').includes(subjectContains)) continue;
    const to = Array.isArray(mail.to) ? mail.to[0]?.text : mail.to?.text;
    return { to: to ?? '', subject: mail.subject ?? '', language: (mail.headers.get('content-language') as string | undefined) ?? null, text: mail.text ?? '' };
  }
  return null;
}
