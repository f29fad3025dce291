import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/auth/schema.ts', './src/users/schema.ts', './src/localization/schema.ts', './src/catalog/schema.ts', './src/inventory/schema.ts', './src/cart/schema.ts', './src/orders/schema.ts', './src/notifications/schema.ts', './src/payments/schema.ts'],
  out: './migrations',
  schemaFilter: ['auth', 'users', 'localization', 'catalog', 'inventory', 'cart', 'orders', 'notifications', 'payments'],
  migrations: { schema: 'drizzle', table: '__drizzle_migrations' },
  strict: true,
});
