// The transport is shared with the notifications service: packages/mail.
export { createMailTransport, type MailTransport, type OutgoingMail } from '@meridian/mail';
