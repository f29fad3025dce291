import { asc, eq, sql } from 'drizzle-orm';
import { categories, collectionProducts, collections, type CategoryRow, type CollectionRow, type Translations } from '@meridian/db/catalog';
import type { CatalogDb, CatalogExecutor } from '../db.js';

export type CategoriesRepository = ReturnType<typeof createCategoriesRepository>;

/** The category tree and the collections: small, read whole. */
export function createCategoriesRepository({ db }: { db: CatalogDb }) {
  return {
    // Awaited here: a drizzle query is a thenable that runs again each time it is awaited, and callers keep these promises.
    all: async (): Promise<CategoryRow[]> => await db.select().from(categories).orderBy(asc(categories.position), asc(categories.id)),
    /** The collections shoppers see: every one that is not archived. */
    listedCollections: async (): Promise<CollectionRow[]> =>
      await db.select().from(collections).where(eq(collections.status, 'active')).orderBy(asc(collections.position), asc(collections.id)),

    async categoryById(tx: CatalogExecutor, id: string): Promise<CategoryRow | null> {
      const [row] = await tx.select().from(categories).where(eq(categories.id, id));
      return row ?? null;
    },

    async insertCategory(tx: CatalogExecutor, values: { parentId: string | null; names: Translations; slugs: Translations }): Promise<CategoryRow> {
      const [row] = await tx.insert(categories).values(values).returning();
      return row!;
    },

    async updateCategory(tx: CatalogExecutor, id: string, values: { parentId: string | null; names: Translations; slugs: Translations }): Promise<CategoryRow | null> {
      const [row] = await tx.update(categories).set(values).where(eq(categories.id, id)).returning();
      return row ?? null;
    },

    /** Archives a category (those below it are hidden with it); null for an unknown id. Archiving twice is no error. */
    async archiveCategory(tx: CatalogExecutor, id: string): Promise<CategoryRow | null> {
      const [row] = await tx.update(categories).set({ status: 'archived' }).where(eq(categories.id, id)).returning();
      return row ?? null;
    },

    async insertCollection(tx: CatalogExecutor, values: { names: Translations; slugs: Translations }): Promise<CollectionRow> {
      const [row] = await tx.insert(collections).values(values).returning();
      return row!;
    },

    async updateCollection(tx: CatalogExecutor, id: string, values: { names: Translations; slugs: Translations }): Promise<CollectionRow | null> {
      const [row] = await tx.update(collections).set(values).where(eq(collections.id, id)).returning();
      return row ?? null;
    },

    /** Archives a collection; null for an unknown id. Archiving twice is no error. */
    async archiveCollection(tx: CatalogExecutor, id: string): Promise<CollectionRow | null> {
      const [row] = await tx.update(collections).set({ status: 'archived' }).where(eq(collections.id, id)).returning();
      return row ?? null;
    },

    /** Replaces the products of a collection, in the order given (unknown ids are left out). */
    async setCollectionProducts(tx: CatalogExecutor, collectionId: string, productIds: readonly string[]): Promise<void> {
      await tx.delete(collectionProducts).where(eq(collectionProducts.collectionId, collectionId));
      if (productIds.length === 0) return;
      await tx.execute(sql`insert into catalog.collection_products (collection_id, product_id, position)
        select ${collectionId}::uuid, id, ordinality from unnest(${sql.param(productIds)}::uuid[]) with ordinality as given(id, ordinality)
        where exists (select 1 from catalog.products p where p.id = given.id) on conflict do nothing`);
    },
  };
}
