import { char, index, jsonb, pgSchema, primaryKey, text, timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, updatedAt } from '../columns.js';

export const usersSchema = pgSchema('users');

export const addresses = usersSchema.table(
  'addresses',
  {
    id: idColumn('Address'),
    /** The owner; `auth.users` lives in another service's schema, so there is no foreign key. */
    userId: uuid('user_id').notNull(),
    fullName: text('full_name').notNull(),
    company: text('company'),
    line1: text('line1').notNull(),
    line2: text('line2'),
    city: text('city').notNull(),
    region: text('region'),
    postalCode: text('postal_code'),
    countryCode: char('country_code', { length: 2 }).notNull(),
    phone: text('phone'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index('addresses_user_id_idx').on(table.userId, table.id)],
);

export const profiles = usersSchema.table('profiles', {
  userId: uuid('user_id').primaryKey(),
  displayName: text('display_name'),
  phone: text('phone'),
  preferredLocale: text('preferred_locale'),
  preferredCurrency: char('preferred_currency', { length: 3 }),
  defaultShippingAddressId: uuid('default_shipping_address_id').references((): AnyPgColumn => addresses.id, {
    onDelete: 'set null',
  }),
  defaultBillingAddressId: uuid('default_billing_address_id').references((): AnyPgColumn => addresses.id, {
    onDelete: 'set null',
  }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Idempotency keys of creating mutations: the first result of a key, answered again to a retry.
 * Kept a day (packages/platform idempotency.ts).
 */
export const idempotencyKeys = usersSchema.table(
  'idempotency_keys',
  {
    userId: uuid('user_id').notNull(),
    operation: text('operation').notNull(),
    key: text('key').notNull(),
    /** A hash of the request's input: a key sent again with other input is refused. */
    requestFingerprint: text('request_fingerprint').notNull(),
    result: jsonb('result').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.operation, table.key] }), index('idempotency_keys_created_at').on(table.createdAt)],
);

export type AddressRow = typeof addresses.$inferSelect;
export type ProfileRow = typeof profiles.$inferSelect;
