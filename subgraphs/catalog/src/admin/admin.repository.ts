import { and, asc, eq, sql } from 'drizzle-orm';
import { optionGroups, optionValues, productImages, productSlugs, productTranslations, products, variantOptionValues, variantPrices, variants, type Translations } from '@meridian/db/catalog';
import type { CatalogExecutor } from '../db.js';
import type { OptionGroup, ProductTranslation, VariantOption } from '../products/products.model.js';
import { searchConfigFor } from '../products/search-config.rules.js';

export type AdminRepository = ReturnType<typeof createAdminRepository>;

/** A unique index refused a write: PostgreSQL's `unique_violation`, with the constraint it hit. */
export class UniqueViolation extends Error {
  constructor(readonly constraint: string) {
    super(`unique violation on ${constraint}`);
  }
}

/** Runs `write`, turning a unique violation into `UniqueViolation` (the use cases answer it as a typed error). */
async function unique<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; constraint_name?: string } }).cause ?? (error as { code?: string; constraint_name?: string });
    if (cause?.code === '23505') throw new UniqueViolation(cause.constraint_name ?? 'unknown');
    throw error;
  }
}

/** The catalog's writes, each inside the caller's transaction. */
export function createAdminRepository() {
  return {
    async insertProduct(tx: CatalogExecutor, values: { id?: string; categoryId: string | null }): Promise<string> {
      const [row] = await tx.insert(products).values(values).returning({ id: products.id });
      return row!.id;
    },

    async updateProduct(tx: CatalogExecutor, id: string, values: { categoryId?: string | null; status?: 'active' | 'archived' }): Promise<boolean> {
      const rows = await tx.update(products).set(values).where(eq(products.id, id)).returning({ id: products.id });
      return rows.length > 0;
    },

    async productExists(tx: CatalogExecutor, id: string): Promise<boolean> {
      const rows = await tx.select({ id: products.id }).from(products).where(eq(products.id, id));
      return rows.length > 0;
    },

    /**
     * Writes a translation and records its slug in the slug history. A slug another product has or
     * had in the locale throws `UniqueViolation('product_slugs_locale_slug_pk')`.
     */
    async saveTranslation(tx: CatalogExecutor, productId: string, translation: ProductTranslation): Promise<void> {
      const [owner] = await tx
        .select({ productId: productSlugs.productId })
        .from(productSlugs)
        .where(and(eq(productSlugs.locale, translation.locale), eq(productSlugs.slug, translation.slug)));
      if (owner && owner.productId !== productId) throw new UniqueViolation('product_slugs_locale_slug_pk');
      if (!owner) await unique(() => tx.insert(productSlugs).values({ locale: translation.locale, slug: translation.slug, productId }));
      await tx
        .insert(productTranslations)
        .values({ productId, ...translation, searchConfig: searchConfigFor(translation.locale) })
        .onConflictDoUpdate({
          target: [productTranslations.productId, productTranslations.locale],
          set: { name: translation.name, slug: translation.slug, description: translation.description, updatedAt: sql`now()` },
        });
    },

    async insertImage(tx: CatalogExecutor, productId: string, image: { url: string; width: number; height: number; alt: Translations }): Promise<void> {
      const [last] = await tx.select({ position: sql<number>`coalesce(max(${productImages.position}), -1)::int` }).from(productImages).where(eq(productImages.productId, productId));
      await tx.insert(productImages).values({ productId, ...image, position: (last?.position ?? -1) + 1 });
    },

    /** Deletes an image; the id of its product, or null for an unknown image. */
    async deleteImage(tx: CatalogExecutor, imageId: string): Promise<string | null> {
      const [row] = await tx.delete(productImages).where(eq(productImages.id, imageId)).returning({ productId: productImages.productId });
      return row?.productId ?? null;
    },

    async insertVariant(tx: CatalogExecutor, values: { id?: string; productId: string; sku: string; position?: number }): Promise<string> {
      const [row] = await unique(() => tx.insert(variants).values(values).returning({ id: variants.id }));
      return row!.id;
    },

    async updateVariant(tx: CatalogExecutor, id: string, values: { sku?: string; status?: 'active' | 'archived' }): Promise<boolean> {
      const rows = await unique(() => tx.update(variants).set(values).where(eq(variants.id, id)).returning({ id: variants.id }));
      return rows.length > 0;
    },

    async variantExists(tx: CatalogExecutor, id: string): Promise<boolean> {
      const rows = await tx.select({ id: variants.id }).from(variants).where(eq(variants.id, id));
      return rows.length > 0;
    },

    async archiveVariantsOf(tx: CatalogExecutor, productId: string): Promise<void> {
      await tx.update(variants).set({ status: 'archived' }).where(eq(variants.productId, productId));
    },

    async setPrice(tx: CatalogExecutor, variantId: string, currency: string, amountMinor: bigint): Promise<void> {
      await tx
        .insert(variantPrices)
        .values({ variantId, currency, amountMinor })
        .onConflictDoUpdate({ target: [variantPrices.variantId, variantPrices.currency], set: { amountMinor, updatedAt: sql`now()` } });
    },

    /** Replaces the names of an option group; the group with all its values, or null for an unknown id. */
    async setOptionGroupNames(tx: CatalogExecutor, id: string, names: Translations): Promise<OptionGroup | null> {
      const [group] = await tx.update(optionGroups).set({ names }).where(eq(optionGroups.id, id)).returning();
      if (!group) return null;
      const values = await tx.select().from(optionValues).where(eq(optionValues.groupId, group.id)).orderBy(asc(optionValues.position), asc(optionValues.code));
      return {
        id: group.id,
        code: group.code,
        names: group.names,
        values: values.map((value) => ({ id: value.id, code: value.code, names: value.names, groupId: group.id, groupCode: group.code, groupNames: group.names })),
      };
    },

    /** Replaces the names of an option value; the value with its group, or null for an unknown id. */
    async setOptionValueNames(tx: CatalogExecutor, id: string, names: Translations): Promise<VariantOption | null> {
      const [value] = await tx.update(optionValues).set({ names }).where(eq(optionValues.id, id)).returning();
      if (!value) return null;
      const [group] = await tx.select().from(optionGroups).where(eq(optionGroups.id, value.groupId));
      return { id: value.id, code: value.code, names: value.names, groupId: group!.id, groupCode: group!.code, groupNames: group!.names };
    },

    /** Gives a variant an option value by codes, creating the group and value when they are new. */
    async addOption(tx: CatalogExecutor, variantId: string, groupCode: string, valueCode: string): Promise<void> {
      await tx.insert(optionGroups).values({ code: groupCode, names: { en: groupCode } }).onConflictDoNothing();
      const [group] = await tx.select({ id: optionGroups.id }).from(optionGroups).where(eq(optionGroups.code, groupCode));
      await tx.insert(optionValues).values({ groupId: group!.id, code: valueCode, names: { en: valueCode } }).onConflictDoNothing();
      const [value] = await tx.select({ id: optionValues.id }).from(optionValues).where(and(eq(optionValues.groupId, group!.id), eq(optionValues.code, valueCode)));
      await tx.insert(variantOptionValues).values({ variantId, optionValueId: value!.id }).onConflictDoNothing();
    },
  };
}
