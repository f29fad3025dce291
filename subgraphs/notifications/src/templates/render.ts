import { IntlMessageFormat } from 'intl-messageformat';
import type { NotificationData } from '@meridian/db/notifications';
import { escapeHtml, htmlEmail } from '@meridian/mail';
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

const STYLE = {
  paragraph: 'margin:0 0 16px',
  footer: 'margin:24px 0 16px;font-size:14px;color:#4a4a4a',
} as const;

function htmlDocument(language: MessageLanguage, subject: string, paragraphs: readonly string[], closing: readonly string[]): string {
  return htmlEmail(language, subject, [
    `<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(subject)}</h1>`,
    ...paragraphs.map((text) => `<p style="${STYLE.paragraph}">${escapeHtml(text)}</p>`),
    `<p style="${STYLE.footer}">${escapeHtml(closing[0]!)}</p>`,
    `<p style="${STYLE.paragraph}">${escapeHtml(closing[1]!)}</p>`,
  ]);
}
