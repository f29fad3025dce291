import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/auth/schema.ts', './src/users/schema.ts'],
  out: './migrations',
  schemaFilter: ['auth', 'users'],
  migrations: { schema: 'drizzle', table: '__drizzle_migrations' },
  strict: true,
});
