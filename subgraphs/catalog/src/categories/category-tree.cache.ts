import type { CategoryRow } from '@meridian/db/catalog';
import type { CategoriesRepository } from './categories.repository.js';

/**
 * The category tree is small and changes rarely, and every category page filters by a subtree of it:
 * it is kept in the process for `ttlMs`, so that a page costs no statement for it and the listing
 * gets the subtree's ids as a parameter (PostgreSQL then estimates, and reads, exactly that
 * category's products through `products_category`). A change made through this process is seen at
 * once; one made through another replica within `ttlMs`.
 */
export function createCategoryTreeCache(deps: { categories: CategoriesRepository; ttlMs: number }) {
  let cached: { at: number; rows: Promise<CategoryRow[]> } | null = null;

  const rows = (): Promise<CategoryRow[]> => {
    if (!cached || Date.now() - cached.at > deps.ttlMs) {
      const loading = deps.categories.all();
      cached = { at: Date.now(), rows: loading };
      loading.catch(() => (cached = null));
    }
    return cached.rows;
  };

  return {
    /** The category and every category below it; empty for an unknown id. */
    async subtree(categoryId: string): Promise<string[]> {
      const all = await rows();
      if (!all.some((category) => category.id === categoryId)) return [];
      const ids = [categoryId];
      for (let index = 0; index < ids.length; index += 1) ids.push(...all.filter((category) => category.parentId === ids[index]).map((category) => category.id));
      return ids;
    },
    changed: () => (cached = null),
  };
}
