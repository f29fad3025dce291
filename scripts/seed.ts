// `pnpm seed [--products N]`: the deterministic demo shop (README "Catalog") in DATABASE_URL, or in the
// embedded database of the data directory when it is unset. `pnpm start` runs it on the embedded database.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { migrateDatabase, startEmbeddedPostgres } from '@meridian/db';
import { readCommonConfig } from '@meridian/platform';
import { seedDemoShop } from './demo-shop.js';

const { values } = parseArgs({ options: { products: { type: 'string', default: '200' } } });
const products = Number(values.products);
if (!Number.isInteger(products) || products < 1 || products > 1_000_000) {
  console.error('--products takes a whole number from 1 to 1000000');
  process.exit(2);
}

const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: path.join(readCommonConfig().dataDir, 'pglite') });
const databaseUrl = process.env.DATABASE_URL ?? embedded!.url;
try {
  await migrateDatabase(databaseUrl);
  const started = Date.now();
  await seedDemoShop(databaseUrl, { products, log: console.log });
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await embedded?.stop();
}
