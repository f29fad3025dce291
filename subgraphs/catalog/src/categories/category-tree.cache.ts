import type { CategoryRow } from '@meridian/db/catalog';
import type { CategoriesRepository } from './categories.repository.js';
import { subtreeOf, visibleCategories } from './visibility.rules.js';

/**
 * The category tree is small and changes rarely, and every category page filters by a subtree of it:
 * it is kept in the process for `ttlMs`, so that a page costs no statement for it and the listing
 * gets the subtree's ids as a parameter (PostgreSQL then estimates, and reads, exactly that
 * category's products through `products_category`). A change made through this process is seen at
 * once (the admin use cases call `changed`); one made through another replica within `ttlMs`.
 */
export function createCategoryTreeCache(deps: { categories: CategoriesRepository; ttlMs: number }) {
  let cached: { at: number; visible: Promise<CategoryRow[]> } | null = null;

  const visible = (): Promise<CategoryRow[]> => {
    if (!cached || Date.now() - cached.at > deps.ttlMs) {
      const loading = deps.categories.all().then(visibleCategories);
      cached = { at: Date.now(), visible: loading };
      loading.catch(() => (cached = null));
    }
    return cached.visible;
  };

  return {
    /** The category and every category below it that shoppers see; empty for an unknown or archived one, or one below an archived one. */
    subtree: async (categoryId: string): Promise<string[]> => subtreeOf(await visible(), categoryId),
    changed: () => (cached = null),
  };
}
