import { and, eq, inArray, sql } from 'drizzle-orm';
import { messages, type MessageRow } from '@meridian/db/localization';
import type { LocalizationDb, LocalizationExecutor } from '../db.js';

export type MessagesRepository = ReturnType<typeof createMessagesRepository>;

export function createMessagesRepository({ db }: { db: LocalizationDb }) {
  return {
    /** Every message of a namespace in any of `locales`. */
    async inLocales(namespace: string, locales: readonly string[]): Promise<MessageRow[]> {
      return db
        .select()
        .from(messages)
        .where(and(eq(messages.namespace, namespace), inArray(messages.locale, [...locales])));
    },

    async upsert(tx: LocalizationExecutor, row: { namespace: string; key: string; locale: string; message: string; updatedBy: string }): Promise<MessageRow> {
      const [stored] = await tx
        .insert(messages)
        .values(row)
        .onConflictDoUpdate({ target: [messages.namespace, messages.key, messages.locale], set: { message: row.message, updatedBy: row.updatedBy, updatedAt: sql`now()` } })
        .returning();
      if (!stored) throw new Error('message upsert returned no row');
      return stored;
    },

    async delete(tx: LocalizationExecutor, namespace: string, key: string, locale: string): Promise<boolean> {
      const rows = await tx
        .delete(messages)
        .where(and(eq(messages.namespace, namespace), eq(messages.key, key), eq(messages.locale, locale)))
        .returning({ key: messages.key });
      return rows.length > 0;
    },
  };
}
