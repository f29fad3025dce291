import { describe, expect, it } from 'vitest';
import type { CategoryRow } from '@meridian/db/catalog';
import type { CategoriesRepository } from './categories.repository.js';
import { createCategoryTreeCache } from './category-tree.cache.js';

const row = (id: string, parentId: string | null, status: 'active' | 'archived' = 'active'): CategoryRow => ({
  id,
  parentId,
  status,
  position: 0,
  names: { en: id },
  slugs: { en: id },
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

function repository(rows: CategoryRow[]) {
  const calls = { all: 0 };
  const categories = {
    all: async () => {
      calls.all += 1;
      return rows.map((category) => ({ ...category }));
    },
  } as unknown as CategoriesRepository;
  return { categories, calls };
}

describe('the category tree cache', () => {
  it('reads the tree once per ttl and gives no subtree for an archived category or one below it', async () => {
    const { categories, calls } = repository([row('bikes', null), row('road', 'bikes'), row('outdoor', null, 'archived'), row('tents', 'outdoor')]);
    const cache = createCategoryTreeCache({ categories, ttlMs: 60_000 });
    expect(await cache.subtree('bikes')).toEqual(['bikes', 'road']);
    expect(await cache.subtree('outdoor')).toEqual([]);
    expect(await cache.subtree('tents')).toEqual([]);
    expect(calls.all).toBe(1);
  });

  it('reads the tree again once told of a change', async () => {
    const rows = [row('bikes', null), row('road', 'bikes')];
    const { categories, calls } = repository(rows);
    const cache = createCategoryTreeCache({ categories, ttlMs: 60_000 });
    expect(await cache.subtree('road')).toEqual(['road']);
    rows[1]!.status = 'archived';
    expect(await cache.subtree('road')).toEqual(['road']);
    cache.changed();
    expect(await cache.subtree('road')).toEqual([]);
    expect(await cache.subtree('bikes')).toEqual(['bikes']);
    expect(calls.all).toBe(2);
  });
});
