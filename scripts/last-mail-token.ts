// `pnpm --silent mail:token`: the token in the link of the newest e-mail under .data/mail (development only).
import { readCommonConfig } from '@meridian/platform';
import { lastMail } from './last-mail.js';

const mail = await lastMail(readCommonConfig().dataDir);
if (!mail?.token) {
  console.error('no e-mail with a link in the data directory yet');
  process.exit(1);
}
console.log(mail.token);
