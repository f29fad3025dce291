import { IntlMessageFormat } from 'intl-messageformat';

export type MessageCheck = { ok: true } | { ok: false; reason: string };

const NAME = /^[a-z][a-z0-9_.-]{0,99}$/i;

/** Namespaces and keys: letters, digits, `_ . -`, up to 100 characters (`checkout`, `cart.empty_title`). */
export function isMessageName(name: string): boolean {
  return NAME.test(name);
}

/** Whether `text` is a valid ICU MessageFormat message (placeholders, plural, select, number and date skeletons). */
export function checkMessage(text: string, locale: string): MessageCheck {
  if (text.length > 10_000) return { ok: false, reason: 'longer than 10,000 characters' };
  try {
    new IntlMessageFormat(text, locale);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/** Formats an ICU message for a locale, e.g. `{count, plural, one {# item} other {# items}}`. */
export function formatMessage(text: string, locale: string, values: Record<string, string | number | Date> = {}): string {
  return String(new IntlMessageFormat(text, locale).format(values));
}
