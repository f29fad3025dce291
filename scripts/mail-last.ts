// `pnpm --silent mail:last [text]`: the newest e-mail under .data/mail (development, no SMTP_URL) whose subject
// contains the text: its recipient, subject, language and text part.
import { readCommonConfig } from '@meridian/platform';
import { newestMail } from './last-mail.js';

const mail = await newestMail(readCommonConfig().dataDir, process.argv[2] ?? '');
if (!mail) {
  console.error('no such e-mail in the data directory yet');
  process.exit(1);
}
console.log(`To: ${mail.to}\nSubject: ${mail.subject}\nContent-Language: ${mail.language ?? ''}\n\n${mail.text.trimEnd()}`);
