import { migrateDatabase } from './migrate.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is required (pnpm start applies migrations to the embedded database by itself).');
  process.exit(1);
}
await migrateDatabase(url);
console.log('migrations applied');
