import { eq, sql } from 'drizzle-orm';
import { shopCurrencies, shopLocales } from '@meridian/db/localization';
import type { LocalizationDb, LocalizationExecutor } from '../db.js';

export type ShopRepository = ReturnType<typeof createShopRepository>;

export interface ShopRows {
  locales: { code: string; enabled: boolean; isDefault: boolean }[];
  currencies: { code: string; enabled: boolean; isDefault: boolean }[];
}

type Table = typeof shopLocales | typeof shopCurrencies;

function settingsOf(table: Table) {
  return {
    /** Enables `code` (adding it if new); `makeDefault` also moves the default to it. */
    async enable(tx: LocalizationExecutor, code: string, makeDefault: boolean): Promise<void> {
      if (makeDefault) await tx.update(table).set({ isDefault: false, updatedAt: sql`now()` }).where(eq(table.isDefault, true));
      await tx
        .insert(table)
        .values({ code, enabled: true, isDefault: makeDefault })
        .onConflictDoUpdate({ target: table.code, set: { enabled: true, ...(makeDefault ? { isDefault: true } : {}), updatedAt: sql`now()` } });
    },

    /** Disables `code` unless it is the default; false when it is the default (nothing changes). */
    async disable(tx: LocalizationExecutor, code: string): Promise<'disabled' | 'is-default'> {
      const [row] = await tx.select().from(table).where(eq(table.code, code)).for('update');
      if (row?.isDefault) return 'is-default';
      if (row) await tx.update(table).set({ enabled: false, updatedAt: sql`now()` }).where(eq(table.code, code));
      return 'disabled';
    },
  };
}

export function createShopRepository({ db }: { db: LocalizationDb }) {
  return {
    async read(): Promise<ShopRows> {
      const [locales, currencies] = await Promise.all([
        db.select({ code: shopLocales.code, enabled: shopLocales.enabled, isDefault: shopLocales.isDefault }).from(shopLocales).orderBy(shopLocales.code),
        db.select({ code: shopCurrencies.code, enabled: shopCurrencies.enabled, isDefault: shopCurrencies.isDefault }).from(shopCurrencies).orderBy(shopCurrencies.code),
      ]);
      return { locales, currencies };
    },
    locales: settingsOf(shopLocales),
    currencies: settingsOf(shopCurrencies),
    /** Serializes changes to the shop's settings, so the single-default rule holds under concurrent admins. */
    async lock(tx: LocalizationExecutor): Promise<void> {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('localization.shop', 0))`);
    },
  };
}
