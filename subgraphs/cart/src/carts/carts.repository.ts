import { and, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { cartLines, carts, currencyTaxModes, discountCodes, shippingMethods, shippingRates, taxRates, type CartAddressSnapshot, type ShippingMethodNames } from '@meridian/db/cart';
import type { Money } from '@meridian/money';
import { uuidArray, type CartDb, type CartExecutor, type CartTransaction } from '../db.js';
import type { StoredCart, StoredLine } from './carts.model.js';

export type CartsRepository = ReturnType<typeof createCartsRepository>;

/** What deciding access to a cart needs. */
export interface CartHeader {
  id: string;
  userId: string | null;
  tokenHash: string | null;
  status: 'open' | 'merged' | 'ordered';
  currency: string;
  shippingAddress: CartAddressSnapshot | null;
  billingAddress: CartAddressSnapshot | null;
  /** The order a checked-out cart became. */
  orderId: string | null;
  shippingMethodCode: string | null;
  discountCodeId: string | null;
}

type StoredCartRow = {
  id: string;
  user_id: string | null;
  token_hash: string | null;
  status: 'open' | 'merged' | 'ordered';
  currency: string;
  shipping_address: CartAddressSnapshot | null;
  billing_address: CartAddressSnapshot | null;
  created_at: Date | string;
  updated_at: Date | string;
  lines: { id: string; variantId: string; quantity: number; unitPriceMinor: string; currency: string }[];
  prices_include_tax: boolean;
  tax_name: string | null;
  tax_rate: string | null;
  shipping_code: string | null;
  shipping_names: ShippingMethodNames | null;
  shipping_minor: string | null;
  discount_code: string | null;
  discount_kind: 'percentage' | 'fixed' | null;
  discount_percentage: string | null;
  discount_amount_minor: string | null;
  discount_currency: string | null;
  discount_starts_at: Date | string | null;
  discount_ends_at: Date | string | null;
  discount_usage_limit: number | null;
  discount_times_used: number | null;
} & Record<string, unknown>;

const date = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

function toStoredCart(row: StoredCartRow): StoredCart {
  return {
    id: row.id,
    userId: row.user_id,
    tokenHash: row.token_hash,
    status: row.status,
    currency: row.currency,
    shippingAddress: row.shipping_address,
    billingAddress: row.billing_address,
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
    lines: row.lines.map((line) => ({ ...line, unitPriceMinor: BigInt(line.unitPriceMinor) })),
    pricesIncludeTax: row.prices_include_tax,
    taxRate: row.tax_name !== null && row.tax_rate !== null ? { name: row.tax_name, rate: row.tax_rate } : null,
    shippingMethod: row.shipping_code !== null && row.shipping_minor !== null ? { code: row.shipping_code, names: row.shipping_names!, amountMinor: BigInt(row.shipping_minor) } : null,
    discount:
      row.discount_code !== null
        ? {
            code: row.discount_code,
            kind: row.discount_kind!,
            percentage: row.discount_percentage,
            amountMinor: row.discount_amount_minor === null ? null : BigInt(row.discount_amount_minor),
            currency: row.discount_currency,
            startsAt: date(row.discount_starts_at!),
            endsAt: row.discount_ends_at === null ? null : date(row.discount_ends_at),
            usageLimit: row.discount_usage_limit,
            timesUsed: row.discount_times_used!,
          }
        : null,
  };
}

const HEADER = {
  id: carts.id,
  userId: carts.userId,
  tokenHash: carts.tokenHash,
  status: carts.status,
  currency: carts.currency,
  shippingAddress: carts.shippingAddress,
  billingAddress: carts.billingAddress,
  orderId: carts.orderId,
  shippingMethodCode: carts.shippingMethodCode,
  discountCodeId: carts.discountCodeId,
};

/** The only place that talks SQL for carts and their lines. */
export function createCartsRepository({ db }: { db: CartDb }) {
  return {
    /**
     * Carts with their lines, the tax of their shipping country, whether their currency's prices include
     * tax, their shipping method's price and their discount code: one statement for any number of carts
     * and lines (README "Cart": a cart read costs the same SQL whatever its size).
     */
    async load(ids: readonly string[]): Promise<StoredCart[]> {
      const rows = await db.execute<StoredCartRow>(sql`
        select c.id, c.user_id, c.token_hash, c.status, c.currency, c.shipping_address, c.billing_address, c.created_at, c.updated_at,
          coalesce((
            select json_agg(json_build_object('id', l.id, 'variantId', l.variant_id, 'quantity', l.quantity, 'unitPriceMinor', l.unit_price_minor::text, 'currency', l.currency) order by l.id)
            from ${cartLines} l where l.cart_id = c.id
          ), '[]'::json) as lines,
          coalesce(m.prices_include_tax, true) as prices_include_tax,
          t.name as tax_name, t.rate::text as tax_rate,
          s.code as shipping_code, s.names as shipping_names, r.amount_minor::text as shipping_minor,
          d.code as discount_code, d.kind as discount_kind, d.percentage::text as discount_percentage, d.amount_minor::text as discount_amount_minor,
          d.currency as discount_currency, d.starts_at as discount_starts_at, d.ends_at as discount_ends_at, d.usage_limit as discount_usage_limit,
          d.times_used as discount_times_used
        from ${carts} c
        left join ${currencyTaxModes} m on m.currency = c.currency
        left join ${taxRates} t on t.country_code = c.shipping_address->>'countryCode'
        left join ${shippingMethods} s on s.code = c.shipping_method_code and s.active
        left join ${shippingRates} r on r.method_code = s.code and r.currency = c.currency
        left join ${discountCodes} d on d.id = c.discount_code_id
        where c.id = any(${uuidArray(ids)})`);
      return rows.map(toStoredCart);
    },

    async header(executor: CartExecutor, id: string): Promise<CartHeader | null> {
      const [row] = await executor.select(HEADER).from(carts).where(eq(carts.id, id));
      return row ?? null;
    },

    /** The cart's row locked until the transaction ends: every write to a cart and its lines takes this lock first. */
    async lockHeader(tx: CartTransaction, id: string): Promise<CartHeader | null> {
      const [row] = await tx.select(HEADER).from(carts).where(eq(carts.id, id)).for('update');
      return row ?? null;
    },

    async openCartOfUsers(userIds: readonly string[]): Promise<{ id: string; userId: string }[]> {
      const rows = await db
        .select({ id: carts.id, userId: carts.userId })
        .from(carts)
        .where(and(sql`${carts.userId} = any(${uuidArray(userIds)})`, eq(carts.status, 'open')));
      return rows.map((row) => ({ id: row.id, userId: row.userId! }));
    },

    async insertGuestCart(tx: CartExecutor, cart: { currency: string; tokenHash: string }): Promise<string> {
      const [row] = await tx.insert(carts).values(cart).returning({ id: carts.id });
      return row!.id;
    },

    /** The user's open cart, created in `currency` if there is none (a concurrent creation wins and is answered). */
    async openOrCreateUserCart(tx: CartTransaction, userId: string, currency: string): Promise<string> {
      const [created] = await tx.execute<{ id: string }>(sql`
        insert into ${carts} (id, user_id, currency) values (${uuidv7()}, ${userId}, ${currency})
        on conflict (user_id) where status = 'open' and user_id is not null do nothing
        returning id`);
      if (created) return created.id;
      const [existing] = await tx.select({ id: carts.id }).from(carts).where(and(eq(carts.userId, userId), eq(carts.status, 'open'))).for('update');
      return existing!.id;
    },

    async lines(executor: CartExecutor, cartId: string): Promise<StoredLine[]> {
      return executor
        .select({ id: cartLines.id, variantId: cartLines.variantId, quantity: cartLines.quantity, unitPriceMinor: cartLines.unitPriceMinor, currency: cartLines.currency })
        .from(cartLines)
        .where(eq(cartLines.cartId, cartId))
        .orderBy(cartLines.id);
    },

    /**
     * Adds units of a variant: a new line at `unitPrice`, or more units on the variant's line (which keeps
     * its price). Null when the line would hold more than `maxQuantity`: nothing is written then.
     */
    async addUnits(tx: CartTransaction, cartId: string, variantId: string, quantity: number, unitPrice: Money, maxQuantity: number): Promise<string | null> {
      const [row] = await tx
        .insert(cartLines)
        .values({ cartId, variantId, quantity, unitPriceMinor: unitPrice.minorUnits, currency: unitPrice.currency })
        .onConflictDoUpdate({
          target: [cartLines.cartId, cartLines.variantId],
          set: { quantity: sql`${cartLines.quantity} + excluded.quantity`, updatedAt: sql`now()` },
          setWhere: sql`${cartLines.quantity} + excluded.quantity <= ${maxQuantity}`,
        })
        .returning({ id: cartLines.id });
      return row?.id ?? null;
    },

    async insertLines(tx: CartTransaction, cartId: string, lines: readonly { variantId: string; quantity: number; unitPrice: Money }[]): Promise<void> {
      if (lines.length === 0) return;
      await tx.insert(cartLines).values(lines.map((line) => ({ cartId, variantId: line.variantId, quantity: line.quantity, unitPriceMinor: line.unitPrice.minorUnits, currency: line.unitPrice.currency })));
    },

    async setQuantity(tx: CartTransaction, cartId: string, lineId: string, quantity: number): Promise<boolean> {
      const rows = await tx
        .update(cartLines)
        .set({ quantity })
        .where(and(eq(cartLines.cartId, cartId), eq(cartLines.id, lineId)))
        .returning({ id: cartLines.id });
      return rows.length > 0;
    },

    async setQuantities(tx: CartTransaction, cartId: string, updates: readonly { lineId: string; quantity: number }[]): Promise<void> {
      for (const update of updates) {
        await tx
          .update(cartLines)
          .set({ quantity: update.quantity })
          .where(and(eq(cartLines.cartId, cartId), eq(cartLines.id, update.lineId)));
      }
    },

    async setUnitPrices(tx: CartTransaction, cartId: string, prices: readonly { lineId: string; unitPrice: Money }[]): Promise<void> {
      for (const { lineId, unitPrice } of prices) {
        await tx
          .update(cartLines)
          .set({ unitPriceMinor: unitPrice.minorUnits, currency: unitPrice.currency })
          .where(and(eq(cartLines.cartId, cartId), eq(cartLines.id, lineId)));
      }
    },

    async deleteLine(tx: CartTransaction, cartId: string, lineId: string): Promise<boolean> {
      const rows = await tx
        .delete(cartLines)
        .where(and(eq(cartLines.cartId, cartId), eq(cartLines.id, lineId)))
        .returning({ id: cartLines.id });
      return rows.length > 0;
    },

    /** Changes the cart's own columns (and `updated_at`, also when only its lines changed). */
    async update(
      tx: CartTransaction,
      cartId: string,
      patch: Partial<{ shippingAddress: CartAddressSnapshot | null; billingAddress: CartAddressSnapshot | null; shippingMethodCode: string | null; discountCodeId: string | null }> = {},
    ): Promise<void> {
      await tx
        .update(carts)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(eq(carts.id, cartId));
    },

    /** Closes a merged guest cart for good: no token, no lines, no addresses; it keeps only where it went. */
    async closeMerged(tx: CartTransaction, guestCartId: string, intoCartId: string): Promise<void> {
      await tx.delete(cartLines).where(eq(cartLines.cartId, guestCartId));
      await tx
        .update(carts)
        .set({ status: 'merged', mergedInto: intoCartId, tokenHash: null, shippingAddress: null, billingAddress: null, shippingMethodCode: null, discountCodeId: null, updatedAt: sql`now()` })
        .where(eq(carts.id, guestCartId));
    },

    /**
     * Closes a cart that became an order, for good, as a merged one is closed (the order keeps its own copy of
     * everything), and counts its discount code's use.
     */
    async closeOrdered(tx: CartTransaction, cartId: string, orderId: string, discountCodeId: string | null): Promise<void> {
      await tx.delete(cartLines).where(eq(cartLines.cartId, cartId));
      await tx
        .update(carts)
        .set({ status: 'ordered', orderId, tokenHash: null, shippingAddress: null, billingAddress: null, shippingMethodCode: null, discountCodeId: null, updatedAt: sql`now()` })
        .where(eq(carts.id, cartId));
      if (discountCodeId !== null) await tx.update(discountCodes).set({ timesUsed: sql`${discountCodes.timesUsed} + 1` }).where(eq(discountCodes.id, discountCodeId));
    },

    /** Every cart of the user, and the guest carts merged into them (their lines go with them). */
    async deleteByUser(tx: CartTransaction, userId: string): Promise<void> {
      await tx.execute(sql`delete from ${carts} where merged_into in (select id from ${carts} where user_id = ${userId})`);
      await tx.delete(carts).where(eq(carts.userId, userId));
    },

    /** Guest carts nobody changed for `retentionDays`, and merged or checked-out ones after a day; returns how many went. */
    async deleteExpired(retentionDays: number): Promise<number> {
      const rows = await db.execute<{ id: string }>(sql`
        delete from ${carts}
        where (user_id is null and status = 'open' and updated_at < now() - make_interval(days => ${retentionDays}))
           or (status in ('merged', 'ordered') and updated_at < now() - interval '1 day')
        returning id`);
      return rows.length;
    },
  };
}
