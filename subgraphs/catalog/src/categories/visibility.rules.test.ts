import { describe, expect, it } from 'vitest';
import { facetsOfVisible, subtreeOf, visibleCategories } from './visibility.rules.js';

type Status = 'active' | 'archived';
const node = (id: string, parentId: string | null, status: Status = 'active') => ({ id, parentId, status });

// bikes ─ road, mountain ─ enduro; outdoor (archived) ─ tents; a and b each other's parent.
const tree = [
  node('bikes', null),
  node('road', 'bikes'),
  node('mountain', 'bikes'),
  node('enduro', 'mountain'),
  node('outdoor', null, 'archived'),
  node('tents', 'outdoor'),
  node('a', 'b'),
  node('b', 'a'),
];

describe('the category tree shoppers see', () => {
  it('leaves out an archived category and everything below it, keeping the order', () => {
    expect(visibleCategories(tree).map((category) => category.id)).toEqual(['bikes', 'road', 'mountain', 'enduro']);
    const archivedMiddle = tree.map((category) => (category.id === 'mountain' ? { ...category, status: 'archived' as const } : category));
    expect(visibleCategories(archivedMiddle).map((category) => category.id)).toEqual(['bikes', 'road']);
  });

  it('never shows categories on a cycle of parents, which no root reaches', () => {
    expect(visibleCategories([node('a', 'b'), node('b', 'a')])).toEqual([]);
  });

  it('filters by a visible category and those below it; an archived or unknown one matches nothing', () => {
    const visible = visibleCategories(tree);
    expect(subtreeOf(visible, 'bikes')).toEqual(['bikes', 'road', 'mountain', 'enduro']);
    expect(subtreeOf(visible, 'mountain')).toEqual(['mountain', 'enduro']);
    expect(subtreeOf(visible, 'outdoor')).toEqual([]);
    expect(subtreeOf(visible, 'tents')).toEqual([]);
    expect(subtreeOf(visible, 'a')).toEqual([]);
  });

  it('counts facets of visible categories only', () => {
    const facets = [
      { categoryId: 'road', count: 3 },
      { categoryId: 'tents', count: 2 },
    ];
    expect(facetsOfVisible(facets, visibleCategories(tree))).toEqual([{ categoryId: 'road', count: 3 }]);
  });
});
