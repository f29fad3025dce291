import { eq } from 'drizzle-orm';
import { discountCodes, type DiscountCodeRow } from '@meridian/db/cart';
import type { CartDb, CartExecutor } from '../db.js';
import type { NewDiscountCode } from './discount.rules.js';

export type DiscountsRepository = ReturnType<typeof createDiscountsRepository>;

export function createDiscountsRepository({ db }: { db: CartDb }) {
  return {
    async findByCode(executor: CartExecutor, code: string): Promise<DiscountCodeRow | null> {
      const [row] = await executor.select().from(discountCodes).where(eq(discountCodes.code, code));
      return row ?? null;
    },

    /** The new code, or null when the code is taken. */
    async insert(code: NewDiscountCode): Promise<DiscountCodeRow | null> {
      const { startsAt, ...terms } = code;
      const [row] = await db
        .insert(discountCodes)
        .values({ ...terms, ...(startsAt ? { startsAt } : {}) })
        .onConflictDoNothing({ target: discountCodes.code })
        .returning();
      return row ?? null;
    },
  };
}
