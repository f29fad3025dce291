import { MoneyError, parseMoney } from '@meridian/money';
import { canonicalLocale, isUuid, notFound, validationFailed, type FieldViolation } from '@meridian/platform';
import { currencyNotEnabled, duplicateSku, duplicateSlug, negativePrice } from '../catalog.errors.js';
import type { CategoriesRepository } from '../categories/categories.repository.js';
import type { CatalogDb, CatalogExecutor } from '../db.js';
import type { ProductTranslation } from '../products/products.model.js';
import { UniqueViolation, type AdminRepository } from './admin.repository.js';
import { MAX_NAME, readNames, unsoldCurrency } from './admin.rules.js';

const SLUG = /^[\p{Ll}\p{Lo}\p{N}]+(?:-[\p{Ll}\p{Lo}\p{N}]+)*$/u;
const MAX_DESCRIPTION = 10_000;

interface TranslationInput {
  locale: string;
  name: string;
  slug: string;
  description?: string | null;
}

type Violations = FieldViolation[];

/** Checks translations; the canonical ones, or the violations. */
function checkTranslations(inputs: readonly TranslationInput[], violations: Violations): ProductTranslation[] {
  return inputs.flatMap((input, index) => {
    const locale = canonicalLocale(input.locale);
    const at = (field: string) => `translations.${index}.${field}`;
    if (!locale) violations.push({ field: at('locale'), code: 'INVALID_LOCALE', message: 'Not a BCP 47 language tag' });
    const name = input.name.trim();
    if (name.length === 0) violations.push({ field: at('name'), code: 'REQUIRED', message: 'A name is required' });
    if (name.length > MAX_NAME) violations.push({ field: at('name'), code: 'TOO_LONG', message: `At most ${MAX_NAME} characters` });
    if (!SLUG.test(input.slug) || input.slug.length > MAX_NAME) violations.push({ field: at('slug'), code: 'INVALID_FORMAT', message: 'Lower-case letters, digits and single hyphens' });
    const description = input.description ?? '';
    if (description.length > MAX_DESCRIPTION) violations.push({ field: at('description'), code: 'TOO_LONG', message: `At most ${MAX_DESCRIPTION} characters` });
    return locale ? [{ locale, name, slug: input.slug, description }] : [];
  });
}

function translationsMap(inputs: readonly { locale: string; value: string }[], field: string, violations: Violations): Record<string, string> {
  const map: Record<string, string> = {};
  inputs.forEach((input, index) => {
    const locale = canonicalLocale(input.locale);
    if (!locale) violations.push({ field: `${field}.${index}.locale`, code: 'INVALID_LOCALE', message: 'Not a BCP 47 language tag' });
    else map[locale] = input.value.trim();
  });
  return map;
}

function checkId(id: string | null | undefined, field: string, violations: Violations): string | null {
  if (id === null || id === undefined) return null;
  if (!isUuid(id)) violations.push({ field, code: 'INVALID_FORMAT', message: 'Not an id' });
  return id.toLowerCase();
}

/** A price in minor units, or the typed answer why not. */
function checkPrice<Currency extends string>(price: { currency: Currency; amount: string }, field: string) {
  try {
    const parsed = parseMoney(price.amount, price.currency);
    if (parsed.minorUnits < 0n) return { ok: false as const, result: negativePrice(price.currency) };
    return { ok: true as const, minorUnits: parsed.minorUnits };
  } catch (error) {
    if (error instanceof MoneyError) return { ok: false as const, result: validationFailed([{ field, code: 'INVALID_FORMAT', message: error.message }]) };
    throw error;
  }
}

export type AdminUseCases = ReturnType<typeof createAdminUseCases>;

/** The catalog's admin mutations; who may call them is declared in the SDL (`@requiresScopes`). */
export function createAdminUseCases(deps: {
  db: CatalogDb;
  admin: AdminRepository;
  categories: CategoriesRepository;
  /** The currencies the shop sells in (`Shop.currencies`, owned by the localization service), read when a price is written. */
  shopCurrencies: () => Promise<readonly string[]>;
  onCategoriesChanged?: () => void;
}) {
  const { db, admin, categories } = deps;

  /** `CurrencyNotEnabled` for the first currency the shop does not sell in, else null (nothing to refuse). */
  async function refuseUnsold<Currency extends string>(currencies: readonly Currency[]) {
    if (currencies.length === 0) return null;
    const sold = await deps.shopCurrencies();
    const unsold = unsoldCurrency(currencies, sold);
    return unsold === null ? null : currencyNotEnabled(unsold, sold);
  }

  /** Runs a write in one transaction; a duplicate slug or SKU is a typed answer, nothing is written. */
  async function write<T, D>(work: (tx: CatalogExecutor) => Promise<T>, onDuplicate: (constraint: string) => D): Promise<T | D> {
    try {
      return await db.transaction(work);
    } catch (error) {
      if (error instanceof UniqueViolation) return onDuplicate(error.constraint);
      throw error;
    }
  }

  const productSaved = (id: string) => ({ __typename: 'ProductSaved' as const, product: { id } });
  const variantSaved = (id: string) => ({ __typename: 'VariantSaved' as const, variant: { id } });

  async function saveTranslations(tx: CatalogExecutor, productId: string, translations: readonly ProductTranslation[]) {
    for (const translation of translations) {
      try {
        await admin.saveTranslation(tx, productId, translation);
      } catch (error) {
        if (error instanceof UniqueViolation) throw new DuplicateSlugError(translation.locale, translation.slug);
        throw error;
      }
    }
  }

  async function productWrite<T>(work: (tx: CatalogExecutor) => Promise<T>): Promise<T | ReturnType<typeof duplicateSlug>> {
    try {
      return await db.transaction(work);
    } catch (error) {
      if (error instanceof DuplicateSlugError) return duplicateSlug(error.locale, error.slug);
      throw error;
    }
  }

  return {
    async createProduct(input: { categoryId?: string | null; translations: readonly TranslationInput[] }) {
      const violations: Violations = [];
      const categoryId = checkId(input.categoryId, 'categoryId', violations);
      const translations = checkTranslations(input.translations, violations);
      if (input.translations.length === 0) violations.push({ field: 'translations', code: 'REQUIRED', message: 'At least one translation' });
      if (violations.length > 0) return validationFailed(violations);
      return productWrite(async (tx) => {
        if (categoryId && !(await categories.categoryById(tx, categoryId))) return notFound('No such category');
        const id = await admin.insertProduct(tx, { categoryId });
        await saveTranslations(tx, id, translations);
        return productSaved(id);
      });
    },

    async updateProduct(id: string, input: { categoryId?: string | null; translations?: readonly TranslationInput[] | null }) {
      const violations: Violations = [];
      const categoryId = checkId(input.categoryId, 'categoryId', violations);
      const translations = checkTranslations(input.translations ?? [], violations);
      if (violations.length > 0) return validationFailed(violations);
      if (!isUuid(id)) return notFound('No such product');
      return productWrite(async (tx) => {
        if (!(await admin.productExists(tx, id))) return notFound('No such product');
        if (categoryId && !(await categories.categoryById(tx, categoryId))) return notFound('No such category');
        if (input.categoryId !== undefined) await admin.updateProduct(tx, id, { categoryId });
        await saveTranslations(tx, id, translations);
        return productSaved(id.toLowerCase());
      });
    },

    async archiveProduct(id: string) {
      if (!isUuid(id)) return notFound('No such product');
      return db.transaction(async (tx) => {
        if (!(await admin.updateProduct(tx, id, { status: 'archived' }))) return notFound('No such product');
        await admin.archiveVariantsOf(tx, id);
        return productSaved(id.toLowerCase());
      });
    },

    async removeProductImage(imageId: string) {
      if (!isUuid(imageId)) return notFound('No such image');
      return db.transaction(async (tx) => {
        const productId = await admin.deleteImage(tx, imageId.toLowerCase());
        return productId ? productSaved(productId) : notFound('No such image');
      });
    },

    async addProductImage(productId: string, input: { url: string; width: number; height: number; alt?: readonly { locale: string; value: string }[] | null }) {
      const violations: Violations = [];
      let url: URL | null = null;
      try {
        url = new URL(input.url);
      } catch {
        // Reported below.
      }
      if (!url || !['http:', 'https:'].includes(url.protocol)) violations.push({ field: 'url', code: 'INVALID_FORMAT', message: 'An http or https URL' });
      for (const field of ['width', 'height'] as const) {
        if (input[field] <= 0 || input[field] > 20_000) violations.push({ field, code: 'INVALID_FORMAT', message: 'Between 1 and 20000 pixels' });
      }
      const alt = translationsMap(input.alt ?? [], 'alt', violations);
      if (violations.length > 0) return validationFailed(violations);
      if (!isUuid(productId)) return notFound('No such product');
      return db.transaction(async (tx) => {
        if (!(await admin.productExists(tx, productId))) return notFound('No such product');
        await admin.insertImage(tx, productId, { url: input.url, width: input.width, height: input.height, alt });
        return productSaved(productId.toLowerCase());
      });
    },

    async createVariant<Currency extends string>(input: {
      productId: string;
      sku: string;
      options?: readonly { group: string; value: string }[] | null;
      prices?: readonly { currency: Currency; amount: string }[] | null;
    }) {
      const sku = input.sku.trim();
      if (sku.length === 0 || sku.length > 64) return validationFailed([{ field: 'sku', code: 'INVALID_FORMAT', message: '1 to 64 characters' }]);
      const prices: { currency: Currency; minorUnits: bigint }[] = [];
      for (const [index, price] of (input.prices ?? []).entries()) {
        const checked = checkPrice(price, `prices.${index}.amount`);
        if (!checked.ok) return checked.result;
        prices.push({ currency: price.currency, minorUnits: checked.minorUnits });
      }
      const refused = await refuseUnsold(prices.map((price) => price.currency));
      if (refused) return refused;
      if (!isUuid(input.productId)) return notFound('No such product');
      return write(
        async (tx) => {
          if (!(await admin.productExists(tx, input.productId))) return notFound('No such product');
          const id = await admin.insertVariant(tx, { productId: input.productId, sku });
          for (const option of input.options ?? []) await admin.addOption(tx, id, option.group.trim().toLowerCase(), option.value.trim().toLowerCase());
          for (const price of prices) await admin.setPrice(tx, id, price.currency, price.minorUnits);
          return variantSaved(id);
        },
        () => duplicateSku(sku),
      );
    },

    async updateVariant(id: string, input: { sku?: string | null }) {
      const sku = input.sku?.trim();
      if (sku !== undefined && (sku.length === 0 || sku.length > 64)) return validationFailed([{ field: 'sku', code: 'INVALID_FORMAT', message: '1 to 64 characters' }]);
      if (!isUuid(id)) return notFound('No such variant');
      return write(
        async (tx) => ((sku === undefined ? await admin.variantExists(tx, id) : await admin.updateVariant(tx, id, { sku })) ? variantSaved(id.toLowerCase()) : notFound('No such variant')),
        () => duplicateSku(sku ?? ''),
      );
    },

    async archiveVariant(id: string) {
      if (!isUuid(id)) return notFound('No such variant');
      return db.transaction(async (tx) => ((await admin.updateVariant(tx, id, { status: 'archived' })) ? variantSaved(id.toLowerCase()) : notFound('No such variant')));
    },

    async setVariantPrice<Currency extends string>(variantId: string, price: { currency: Currency; amount: string }) {
      const checked = checkPrice(price, 'price.amount');
      if (!checked.ok) return checked.result;
      const refused = await refuseUnsold([price.currency]);
      if (refused) return refused;
      if (!isUuid(variantId)) return notFound('No such variant');
      return db.transaction(async (tx) => {
        if (!(await admin.variantExists(tx, variantId))) return notFound('No such variant');
        await admin.setPrice(tx, variantId, price.currency, checked.minorUnits);
        return variantSaved(variantId.toLowerCase());
      });
    },

    async saveCategory(id: string | null, input: { parentId?: string | null; names: readonly { locale: string; value: string }[]; slugs: readonly { locale: string; value: string }[] }) {
      const violations: Violations = [];
      const parentId = checkId(input.parentId, 'parentId', violations);
      const names = readNames(input.names, 'names', violations);
      const slugs = translationsMap(input.slugs, 'slugs', violations);
      if (id !== null && parentId === id) violations.push({ field: 'parentId', code: 'INVALID_FORMAT', message: 'A category cannot be its own parent' });
      if (violations.length > 0) return validationFailed(violations);
      if (id !== null && !isUuid(id)) return notFound('No such category');
      return db.transaction(async (tx) => {
        if (parentId && !(await categories.categoryById(tx, parentId))) return notFound('No such parent category');
        const row = id === null ? await categories.insertCategory(tx, { parentId, names, slugs }) : await categories.updateCategory(tx, id, { parentId, names, slugs });
        return row ? { __typename: 'CategorySaved' as const, category: row } : notFound('No such category');
      }).finally(() => deps.onCategoriesChanged?.());
    },

    /** Hides a category and all below it from shoppers; admin writes may still name it. */
    async archiveCategory(id: string) {
      if (!isUuid(id)) return notFound('No such category');
      return db
        .transaction(async (tx) => {
          const row = await categories.archiveCategory(tx, id.toLowerCase());
          return row ? { __typename: 'CategorySaved' as const, category: row } : notFound('No such category');
        })
        .finally(() => deps.onCategoriesChanged?.());
    },

    async saveCollection(id: string | null, input: { names: readonly { locale: string; value: string }[]; slugs: readonly { locale: string; value: string }[]; productIds: readonly string[] }) {
      const violations: Violations = [];
      const names = readNames(input.names, 'names', violations);
      const slugs = translationsMap(input.slugs, 'slugs', violations);
      input.productIds.forEach((productId, index) => checkId(productId, `productIds.${index}`, violations));
      if (violations.length > 0) return validationFailed(violations);
      if (id !== null && !isUuid(id)) return notFound('No such collection');
      return db.transaction(async (tx) => {
        const row = id === null ? await categories.insertCollection(tx, { names, slugs }) : await categories.updateCollection(tx, id, { names, slugs });
        if (!row) return notFound('No such collection');
        await categories.setCollectionProducts(tx, row.id, input.productIds.map((productId) => productId.toLowerCase()));
        return { __typename: 'CollectionSaved' as const, collection: row };
      });
    },

    /** Hides a collection from shoppers; admin writes may still name it. */
    async archiveCollection(id: string) {
      if (!isUuid(id)) return notFound('No such collection');
      return db.transaction(async (tx) => {
        const row = await categories.archiveCollection(tx, id.toLowerCase());
        return row ? { __typename: 'CollectionSaved' as const, collection: row } : notFound('No such collection');
      });
    },

    async updateOptionGroup(id: string, input: { names: readonly { locale: string; value: string }[] }) {
      const violations: Violations = [];
      const names = readNames(input.names, 'names', violations);
      if (violations.length > 0) return validationFailed(violations);
      if (!isUuid(id)) return notFound('No such option group');
      return db.transaction(async (tx) => {
        const group = await admin.setOptionGroupNames(tx, id.toLowerCase(), names);
        return group ? { __typename: 'OptionGroupSaved' as const, optionGroup: group } : notFound('No such option group');
      });
    },

    async updateOptionValue(id: string, input: { names: readonly { locale: string; value: string }[] }) {
      const violations: Violations = [];
      const names = readNames(input.names, 'names', violations);
      if (violations.length > 0) return validationFailed(violations);
      if (!isUuid(id)) return notFound('No such option value');
      return db.transaction(async (tx) => {
        const value = await admin.setOptionValueNames(tx, id.toLowerCase(), names);
        return value ? { __typename: 'OptionValueSaved' as const, optionValue: value } : notFound('No such option value');
      });
    },
  };
}

/** A slug taken by another product, thrown out of the transaction so that nothing of it is kept. */
class DuplicateSlugError extends Error {
  constructor(
    readonly locale: string,
    readonly slug: string,
  ) {
    super(`duplicate slug ${slug} in ${locale}`);
  }
}
