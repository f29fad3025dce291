import { v7 as uuidv7 } from 'uuid';
import type { Sql } from '@meridian/db';

/** The demo shop's discount code: 10 % off, no end, no limit. */
export const DEMO_DISCOUNT_CODE = 'WELCOME10';

/**
 * The cart service's part of the demo shop (scripts/demo-shop.ts): a welcome discount code. Tax rates,
 * whether prices include tax, and the shipping methods come with the migration (0009_cart), since every
 * shop needs them. Leaves a code that exists alone, so it runs on every start.
 */
export async function seedDemoCart(sql: Sql): Promise<{ seeded: boolean }> {
  const rows = await sql`
    insert into cart.discount_codes (id, code, kind, percentage) values (${uuidv7()}, ${DEMO_DISCOUNT_CODE}, 'percentage', 10)
    on conflict (code) do nothing
    returning id`;
  return { seeded: rows.length > 0 };
}
