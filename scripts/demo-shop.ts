import { readFile } from 'node:fs/promises';
import { createPool } from '@meridian/db';
import { DEMO_DISCOUNT_CODE, seedDemoCart } from '@meridian/cart/demo';
import { DEMO_CURRENCIES, DEMO_LOCALES, seedDemoCatalog } from '@meridian/catalog/demo';
import { seedDemoInventory } from '@meridian/inventory/demo';
import { createLocalizationUseCases } from '@meridian/localization';

/** The ECB reference rates the demo shop converts with (a real daily file, 8 July 2022). */
const DEMO_RATES = new URL('../db/seed/eurofxref-daily-2022-07-08.xml', import.meta.url);

export interface DemoShopReport {
  catalogSeeded: boolean;
  variantIds: string[];
}

/**
 * The demo shop, one service's part after the other: the catalog, then (with a new catalog only) the
 * shop's languages, currencies and exchange rates (localization). Each part leaves data that is
 * already there alone, so it runs on every start. A service with demo data of its own adds its part here, after the catalog's
 * (it gets the demo variant ids).
 */
export async function seedDemoShop(databaseUrl: string, options: { products?: number; log?: (message: string) => void } = {}): Promise<DemoShopReport> {
  // One connection: the embedded database serves one at a time.
  const sql = createPool(databaseUrl, { max: 1, applicationName: 'meridian-seed' });
  try {
    const catalog = await seedDemoCatalog(sql, { products: options.products ?? 200 });
    options.log?.(catalog.seeded ? `seeded ${catalog.variantIds.length} demo variants` : 'the catalog holds products already: left as it is');
    // The shop's languages, currencies and rates only with a new catalog: a later start keeps an admin's changes.
    if (catalog.seeded) {
      const localization = createLocalizationUseCases(sql);
      for (const locale of DEMO_LOCALES) await localization.shop.setLocale(locale, 'enable');
      for (const currency of DEMO_CURRENCIES) await localization.shop.setCurrency(currency, 'enable');
      await localization.rates.importEcb(await readFile(DEMO_RATES, 'utf8'));
    }
    const inventory = await seedDemoInventory(sql, catalog.variantIds);
    options.log?.(inventory.seeded ? `seeded ${inventory.levels} demo stock levels in 2 locations` : 'the inventory holds stock locations already: left as it is');
    const cart = await seedDemoCart(sql);
    if (cart.seeded) options.log?.(`seeded the discount code ${DEMO_DISCOUNT_CODE}`);
    // A bulk load leaves the planner without statistics until autovacuum gets round to it (never, where
    // it is off): searches over 100,000 fresh products then plan for 60 rows and take four times as long.
    if (catalog.seeded || inventory.seeded) await sql.unsafe('vacuum (analyze)');
    return { catalogSeeded: catalog.seeded, variantIds: catalog.variantIds };
  } finally {
    await sql.end();
  }
}
