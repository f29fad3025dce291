import { IntlMessageFormat } from 'intl-messageformat';
import type { NotificationData } from '@meridian/db/notifications';
import { formatMoney, money } from '@meridian/money';
import type { NotificationKind } from '../feed/order-event.rules.js';
import { CATALOGS, MESSAGE_LANGUAGES, type MessageCatalog, type MessageLanguage } from './messages.js';

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  /** The language it is written in (`Content-Language`). */
  language: MessageLanguage;
}

/** The catalog language for a locale: its language subtag when there is a catalog for it (`de-AT` → `de`), else English. */
export function catalogLanguage(locale: string): MessageLanguage {
  const language = locale.toLowerCase().split('-')[0];
  return (MESSAGE_LANGUAGES as readonly string[]).includes(language ?? '') ? (language as MessageLanguage) : 'en';
}

const formats = new Map<string, IntlMessageFormat>();

function format(language: MessageLanguage, key: keyof MessageCatalog, values: Record<string, string | number>): string {
  const id = `${language}\u0000${key}`;
  let formatter = formats.get(id);
  if (!formatter) {
    formatter = new IntlMessageFormat(CATALOGS[language][key], language);
    formats.set(id, formatter);
  }
  return String(formatter.format(values));
}

/**
 * A message about an order in `locale`: subject, a text part and an HTML part with the same paragraphs. Amounts
 * are written from minor units with Intl in the order's currency for the locale (`133,95 €` in German); every
 * value is escaped in the HTML part (a name is what the shopper typed).
 */
export function renderMessage(kind: NotificationKind, data: NotificationData, locale: string): RenderedMessage {
  const language = catalogLanguage(locale);
  const amount = (minor: string | null | undefined) => formatMoney(money(BigInt(minor ?? '0'), data.currency), locale);
  const values = {
    number: data.orderNumber,
    name: data.customerName ?? '',
    items: data.itemCount ?? 0,
    total: amount(data.totalMinor),
    refunded: amount(data.refundedMinor ?? data.totalMinor),
    full: data.fullRefund ? 'yes' : 'no',
  };
  const subject = format(language, `${kind}.subject`, values);
  const paragraphs = [format(language, 'greeting', values), format(language, `${kind}.body`, values)];
  const closing = [format(language, 'footer', values), format(language, 'signOff', values)];
  return { subject, text: `${[...paragraphs, ...closing].join('\n\n')}\n`, html: htmlDocument(language, subject, paragraphs, closing), language };
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

const STYLE = {
  body: 'margin:0;padding:24px;background:#ffffff;color:#1a1a1a;font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5',
  article: 'max-width:560px;margin:0 auto',
  paragraph: 'margin:0 0 16px',
  footer: 'margin:24px 0 16px;font-size:14px;color:#4a4a4a',
} as const;

function htmlDocument(language: MessageLanguage, subject: string, paragraphs: readonly string[], closing: readonly string[]): string {
  const title = escapeHtml(subject);
  return [
    '<!doctype html>',
    `<html lang="${language}" dir="ltr">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    '</head>',
    `<body style="${STYLE.body}">`,
    // role/aria-roledescription: screen readers announce an e-mail rather than an anonymous region.
    `<div role="article" aria-roledescription="email" aria-label="${title}" lang="${language}" style="${STYLE.article}">`,
    `<h1 style="font-size:20px;margin:0 0 16px">${title}</h1>`,
    ...paragraphs.map((text) => `<p style="${STYLE.paragraph}">${escapeHtml(text)}</p>`),
    `<p style="${STYLE.footer}">${escapeHtml(closing[0]!)}</p>`,
    `<p style="${STYLE.paragraph}">${escapeHtml(closing[1]!)}</p>`,
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
