import { sql } from 'drizzle-orm';
import { shippingMethods, shippingRates, type ShippingMethodNames } from '@meridian/db/cart';
import type { CartDb, CartExecutor } from '../db.js';

export type ShippingRepository = ReturnType<typeof createShippingRepository>;

/** An active shipping method with its prices per currency (minor units). */
export interface ShippingMethodOffer {
  code: string;
  names: ShippingMethodNames;
  countries: string[];
  rates: Record<string, bigint>;
}

type MethodRow = { code: string; names: ShippingMethodNames; countries: string[]; rates: Record<string, string> | null } & Record<string, unknown>;

const toOffer = (row: MethodRow): ShippingMethodOffer => ({
  code: row.code,
  names: row.names,
  countries: row.countries.map((country) => country.trim()),
  rates: Object.fromEntries(Object.entries(row.rates ?? {}).map(([currency, minor]) => [currency, BigInt(minor)])),
});

export function createShippingRepository({ db }: { db: CartDb }) {
  const select = (executor: CartExecutor, code: string | null) =>
    executor.execute<MethodRow>(sql`
      select m.code, m.names, m.countries,
        (select json_object_agg(r.currency, r.amount_minor::text) from ${shippingRates} r where r.method_code = m.code) as rates
      from ${shippingMethods} m
      where m.active ${code === null ? sql`` : sql`and m.code = ${code}`}
      order by m.position, m.code`);

  return {
    /** Every active method with its prices, in display order: one statement (a handful of rows). */
    async all(): Promise<ShippingMethodOffer[]> {
      return (await select(db, null)).map(toOffer);
    },

    async find(executor: CartExecutor, code: string): Promise<ShippingMethodOffer | null> {
      const [row] = await select(executor, code);
      return row ? toOffer(row) : null;
    },
  };
}
