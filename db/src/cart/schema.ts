import { sql } from 'drizzle-orm';
import { bigint, boolean, char, check, date, index, integer, jsonb, numeric, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, updatedAt } from '../columns.js';

export const cartSchema = pgSchema('cart');

/**
 * An address as the cart keeps it: validated and normalized by the rules of the users service's
 * address book (@meridian/addresses), copied into the cart, never a reference that could change
 * under it. `addressId` names the address-book entry it was copied from, if any.
 */
export interface CartAddressSnapshot {
  fullName: string;
  company: string | null;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string | null;
  countryCode: string;
  phone: string | null;
  addressId: string | null;
}

/** Translations of a shipping method's name: BCP 47 tag → text. */
export type ShippingMethodNames = Record<string, string>;

/**
 * Discount codes. A percentage off the merchandise, or a fixed amount off in one currency (applied to
 * carts in that currency only), valid from `starts_at` until `ends_at`; `usage_limit` caps how many
 * orders may use it (`times_used` counts them; the checkout counts a use when an order is placed).
 * Codes are stored in upper case.
 */
export const discountCodes = cartSchema.table(
  'discount_codes',
  {
    id: idColumn(),
    code: text('code').notNull(),
    kind: text('kind', { enum: ['percentage', 'fixed'] }).notNull(),
    percentage: numeric('percentage', { precision: 5, scale: 2 }),
    amountMinor: bigint('amount_minor', { mode: 'bigint' }),
    currency: char('currency', { length: 3 }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull().defaultNow(),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    usageLimit: integer('usage_limit'),
    timesUsed: integer('times_used').notNull().default(0),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('discount_codes_code').on(table.code),
    check(
      'discount_codes_terms',
      sql`(${table.kind} = 'percentage' and ${table.percentage} > 0 and ${table.percentage} <= 100 and ${table.amountMinor} is null and ${table.currency} is null)
        or (${table.kind} = 'fixed' and ${table.amountMinor} > 0 and ${table.currency} is not null and ${table.percentage} is null)`,
    ),
    check('discount_codes_window', sql`${table.endsAt} is null or ${table.endsAt} > ${table.startsAt}`),
    check('discount_codes_usage', sql`${table.timesUsed} >= 0 and (${table.usageLimit} is null or ${table.usageLimit} > 0)`),
  ],
);

/** How a cart is delivered: names per locale, the countries it serves, a price per currency (`shipping_rates`). */
export const shippingMethods = cartSchema.table('shipping_methods', {
  code: text('code').primaryKey(),
  names: jsonb('names').$type<ShippingMethodNames>().notNull(),
  /** ISO 3166-1 alpha-2 codes of the countries the method delivers to. */
  countries: char('countries', { length: 2 }).array().notNull(),
  position: integer('position').notNull().default(0),
  active: boolean('active').notNull().default(true),
});

/** A shipping method's price in one currency, in minor units; a method without a price in a cart's currency is not offered to it. */
export const shippingRates = cartSchema.table(
  'shipping_rates',
  {
    methodCode: text('method_code')
      .notNull()
      .references(() => shippingMethods.code, { onDelete: 'cascade' }),
    currency: char('currency', { length: 3 }).notNull(),
    amountMinor: bigint('amount_minor', { mode: 'bigint' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.methodCode, table.currency] }), check('shipping_rates_amount', sql`${table.amountMinor} >= 0`)],
);

/**
 * The tax a country charges on what the shop sells (its standard VAT or GST rate, in per cent), by the
 * country the cart ships to. `source` and `valid_from` say where the rate was read and since when it holds.
 */
export const taxRates = cartSchema.table(
  'tax_rates',
  {
    countryCode: char('country_code', { length: 2 }).primaryKey(),
    name: text('name').notNull(),
    rate: numeric('rate', { precision: 6, scale: 3 }).notNull(),
    source: text('source').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
  },
  (table) => [check('tax_rates_rate', sql`${table.rate} >= 0 and ${table.rate} < 100`)],
);

/**
 * Whether the catalog's prices in a currency include tax (EUR, GBP: shown to consumers as they pay
 * them) or exclude it (USD: tax is added at checkout). A currency without a row counts as inclusive.
 */
export const currencyTaxModes = cartSchema.table('currency_tax_modes', {
  currency: char('currency', { length: 3 }).primaryKey(),
  pricesIncludeTax: boolean('prices_include_tax').notNull(),
});

/**
 * A cart: a guest's, reached with the secret token it was created with (only its SHA-256 is kept), or a
 * signed-in user's (at most one open cart per user). Its currency is fixed when it is created. A guest
 * cart merged into a user's is `merged`: emptied, without token or addresses, and unusable; a cart that became
 * an order is `ordered` (closed the same way, naming its order).
 */
export const carts = cartSchema.table(
  'carts',
  {
    id: idColumn(),
    /** The owner; `auth.users` lives in another service's schema, so there is no foreign key. */
    userId: uuid('user_id'),
    /** base64url SHA-256 of a guest cart's token. */
    tokenHash: text('token_hash'),
    currency: char('currency', { length: 3 }).notNull(),
    status: text('status', { enum: ['open', 'merged', 'ordered'] }).notNull().default('open'),
    mergedInto: uuid('merged_into'),
    /** The order a checked-out cart became (the orders service's id; no foreign key across schemas). */
    orderId: uuid('order_id'),
    shippingAddress: jsonb('shipping_address').$type<CartAddressSnapshot>(),
    billingAddress: jsonb('billing_address').$type<CartAddressSnapshot>(),
    shippingMethodCode: text('shipping_method_code').references(() => shippingMethods.code, { onDelete: 'set null' }),
    discountCodeId: uuid('discount_code_id').references(() => discountCodes.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    // An open cart is a guest's (a token) or a user's (an owner), never both or neither.
    check('carts_owner', sql`${table.status} <> 'open' or ((${table.userId} is null) <> (${table.tokenHash} is null))`),
    uniqueIndex('carts_open_per_user').on(table.userId).where(sql`${table.status} = 'open' and ${table.userId} is not null`),
    index('carts_guest_updated').on(table.updatedAt).where(sql`${table.userId} is null`),
  ],
);

/**
 * One variant in a cart, with the unit price it was added at (or last applied at) in the cart's
 * currency: the totals count this price; a different current price is shown, never applied unasked.
 */
export const cartLines = cartSchema.table(
  'cart_lines',
  {
    id: idColumn(),
    cartId: uuid('cart_id')
      .notNull()
      .references(() => carts.id, { onDelete: 'cascade' }),
    /** A variant of the catalog service, known here by id only. */
    variantId: uuid('variant_id').notNull(),
    quantity: integer('quantity').notNull(),
    unitPriceMinor: bigint('unit_price_minor', { mode: 'bigint' }).notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('cart_lines_cart_variant').on(table.cartId, table.variantId),
    check('cart_lines_quantity', sql`${table.quantity} > 0`),
    check('cart_lines_price', sql`${table.unitPriceMinor} >= 0`),
  ],
);

export type CartRow = typeof carts.$inferSelect;
export type CartLineRow = typeof cartLines.$inferSelect;
export type DiscountCodeRow = typeof discountCodes.$inferSelect;
export type ShippingMethodRow = typeof shippingMethods.$inferSelect;
export type TaxRateRow = typeof taxRates.$inferSelect;
