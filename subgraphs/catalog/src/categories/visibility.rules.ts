/** What shoppers see of the category tree and the collections: what is not archived. */

interface TreeNode {
  id: string;
  parentId: string | null;
  status: 'active' | 'archived';
}

/**
 * The categories shoppers see, in the order given: those reached from an active root through active
 * categories only. A category below an archived one is hidden with it (and one on a cycle of parents,
 * which no root reaches, never shows).
 */
export function visibleCategories<T extends TreeNode>(rows: readonly T[]): T[] {
  const children = new Map<string | null, T[]>();
  for (const row of rows) children.set(row.parentId, [...(children.get(row.parentId) ?? []), row]);
  const visible = new Set<string>();
  const pending = (children.get(null) ?? []).filter((row) => row.status === 'active');
  for (let row = pending.pop(); row; row = pending.pop()) {
    visible.add(row.id);
    pending.push(...(children.get(row.id) ?? []).filter((child) => child.status === 'active'));
  }
  return rows.filter((row) => visible.has(row.id));
}

/** The category and every category below it among `rows` (visible ones); empty when it is not among them. */
export function subtreeOf(rows: readonly Pick<TreeNode, 'id' | 'parentId'>[], categoryId: string): string[] {
  if (!rows.some((category) => category.id === categoryId)) return [];
  const ids = [categoryId];
  for (let index = 0; index < ids.length; index += 1) ids.push(...rows.filter((category) => category.parentId === ids[index]).map((category) => category.id));
  return ids;
}

/** Category facets without the categories shoppers do not see (`visible` are those they see). */
export function facetsOfVisible<Facet extends { categoryId: string }>(facets: readonly Facet[], visible: readonly { id: string }[]): Facet[] {
  const ids = new Set(visible.map((category) => category.id));
  return facets.filter((facet) => ids.has(facet.categoryId));
}
