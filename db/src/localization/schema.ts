import { sql } from 'drizzle-orm';
import { boolean, char, date, index, numeric, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, updatedAt } from '../columns.js';

export const localizationSchema = pgSchema('localization');

/** The languages the shop offers (BCP 47); exactly one is the default, and it stays enabled. */
export const shopLocales = localizationSchema.table(
  'shop_locales',
  {
    code: text('code').primaryKey(),
    enabled: boolean('enabled').notNull().default(false),
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [uniqueIndex('shop_locales_one_default').on(table.isDefault).where(sql`${table.isDefault}`)],
);

/** The currencies the shop sells in (ISO 4217); exactly one is the default, and it stays enabled. */
export const shopCurrencies = localizationSchema.table(
  'shop_currencies',
  {
    code: char('code', { length: 3 }).primaryKey(),
    enabled: boolean('enabled').notNull().default(false),
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [uniqueIndex('shop_currencies_one_default').on(table.isDefault).where(sql`${table.isDefault}`)],
);

/**
 * 1 `base` = `rate` `quote` on `as_of`, from `source`. Rates published against the euro are stored
 * as published; the inverse and every cross rate are stored too when a file is imported, so each
 * conversion names one row (`id`) that an order can keep.
 */
export const exchangeRates = localizationSchema.table(
  'exchange_rates',
  {
    id: idColumn(),
    base: char('base', { length: 3 }).notNull(),
    quote: char('quote', { length: 3 }).notNull(),
    rate: numeric('rate', { precision: 38, scale: 18 }).notNull(),
    asOf: date('as_of').notNull(),
    source: text('source').notNull(),
    /** `published` (as the source gave it), `inverse` (1 / published) or `cross` (through the source's base currency). */
    derivation: text('derivation').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('exchange_rates_pair_day_source').on(table.base, table.quote, table.asOf, table.source),
    index('exchange_rates_latest').on(table.base, table.quote, table.asOf),
  ],
);

/** Translations: an ICU MessageFormat text per namespace, key and locale. */
export const messages = localizationSchema.table(
  'messages',
  {
    namespace: text('namespace').notNull(),
    key: text('key').notNull(),
    locale: text('locale').notNull(),
    message: text('message').notNull(),
    updatedBy: uuid('updated_by'),
    updatedAt: updatedAt(),
  },
  (table) => [primaryKey({ columns: [table.namespace, table.key, table.locale] }), index('messages_namespace_locale').on(table.namespace, table.locale)],
);

export type ShopLocaleRow = typeof shopLocales.$inferSelect;
export type ShopCurrencyRow = typeof shopCurrencies.$inferSelect;
export type ExchangeRateRow = typeof exchangeRates.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
