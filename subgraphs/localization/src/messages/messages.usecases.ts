import { canonicalLocale, fallbackChain, notFound, pickLocalized, validationFailed, type FieldViolation } from '@meridian/platform';
import type { LocalizationDb } from '../db.js';
import type { ShopSettingsReader } from '../shop/shop.usecases.js';
import { checkMessage, isMessageName } from './message.rules.js';
import type { MessagesRepository } from './messages.repository.js';

/** One message as a client gets it: the ICU text of the best locale along the fallback chain. */
export interface ResolvedMessage {
  key: string;
  message: string;
  locale: string;
  isFallback: boolean;
}

export type MessageUseCases = ReturnType<typeof createMessageUseCases>;

export function createMessageUseCases(deps: { db: LocalizationDb; messages: MessagesRepository; shop: ShopSettingsReader }) {
  const { db, messages, shop } = deps;

  return {
    /** Every key of `namespace`, each in the first locale of `locale`'s fallback chain that has it. */
    async forLocale(namespace: string, locale: string): Promise<ResolvedMessage[]> {
      if (!isMessageName(namespace)) return [];
      const chain = fallbackChain(locale, (await shop.settings()).defaultLocale);
      const byKey = new Map<string, Map<string, string>>();
      for (const row of await messages.inLocales(namespace, chain)) {
        if (!byKey.has(row.key)) byKey.set(row.key, new Map());
        byKey.get(row.key)!.set(row.locale, row.message);
      }
      return [...byKey.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .flatMap(([key, translations]) => {
          const picked = pickLocalized(translations, chain);
          return picked ? [{ key, message: picked.value, locale: picked.locale, isFallback: picked.isFallback }] : [];
        });
    },

    async set(input: { namespace: string; key: string; locale: string; message: string }, updatedBy: string) {
      const violations: FieldViolation[] = [];
      if (!isMessageName(input.namespace)) violations.push({ field: 'namespace', code: 'INVALID_FORMAT', message: 'Letters, digits, _ . - only, up to 100 characters' });
      if (!isMessageName(input.key)) violations.push({ field: 'key', code: 'INVALID_FORMAT', message: 'Letters, digits, _ . - only, up to 100 characters' });
      const locale = canonicalLocale(input.locale);
      if (!locale) violations.push({ field: 'locale', code: 'INVALID_LOCALE', message: 'Not a BCP 47 language tag' });
      const check = checkMessage(input.message, locale ?? 'en');
      if (!check.ok) violations.push({ field: 'message', code: 'INVALID_FORMAT', message: `Not a valid ICU message: ${check.reason}` });
      if (violations.length > 0 || !locale) return validationFailed(violations);
      const stored = await db.transaction((tx) => messages.upsert(tx, { ...input, locale, updatedBy }));
      return { __typename: 'MessageSaved' as const, namespace: stored.namespace, key: stored.key, locale: stored.locale, message: stored.message };
    },

    async delete(input: { namespace: string; key: string; locale: string }) {
      const locale = canonicalLocale(input.locale);
      const deleted = locale && (await db.transaction((tx) => messages.delete(tx, input.namespace, input.key, locale)));
      return deleted ? ({ __typename: 'MessageDeleted' as const, namespace: input.namespace, key: input.key, locale }) : notFound('No such message');
    },
  };
}
