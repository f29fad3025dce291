export { createMailTransport, type MailTransport, type OutgoingMail } from './mail.transport.js';
export { escapeHtml, htmlEmail } from './html-email.js';
