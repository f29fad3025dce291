import { drizzle } from 'drizzle-orm/postgres-js';
import type { Sql } from '@meridian/db';
import { createCategoriesRepository } from '../categories/categories.repository.js';
import { createCategoryTreeCache } from '../categories/category-tree.cache.js';
import { createProductsRepository } from './products.repository.js';
import { createProductUseCases, type ProductPageArgs } from './products.usecases.js';

/**
 * The query plans of the statements a `products` page sends, as PostgreSQL would run them
 * (`EXPLAIN`, not executed twice), for the benchmark's results: `pnpm bench` shows them beside the
 * search timings so that a sequential scan is seen where it appears.
 */
export async function explainProductPage(sql: Sql, args: ProductPageArgs, request: { chain: string[]; currency: string }): Promise<string[]> {
  const statements: { query: string; params: unknown[] }[] = [];
  const db = drizzle({ client: sql, logger: { logQuery: (query, params) => statements.push({ query, params }) } });
  const categories = createCategoryTreeCache({ categories: createCategoriesRepository({ db: drizzle({ client: sql }) }), ttlMs: 0 });
  await createProductUseCases({ products: createProductsRepository({ db }), subtree: categories.subtree }).list(args, request);
  const plans: string[] = [];
  for (const statement of statements) {
    const rows = await sql.unsafe<{ 'QUERY PLAN': string }[]>(`explain ${process.env.EXPLAIN_ANALYZE ? "(analyze, buffers) " : ""}${statement.query}`, statement.params as never[]);
    plans.push(rows.map((row) => row['QUERY PLAN']).join('\n'));
  }
  return plans;
}
