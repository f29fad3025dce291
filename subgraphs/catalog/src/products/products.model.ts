import type { Translations } from '@meridian/db/catalog';

/** A product's text in one locale. */
export interface ProductTranslation {
  locale: string;
  name: string;
  slug: string;
  description: string;
}

export interface ProductImage {
  id: string;
  url: string;
  width: number;
  height: number;
  alt: Translations;
}

/** A product as its resolvers read it: one row with every translation and image (one statement per batch). */
export interface Product {
  id: string;
  categoryId: string | null;
  status: 'active' | 'archived';
  createdAt: Date;
  translations: ProductTranslation[];
  images: ProductImage[];
}

export interface VariantOption {
  id: string;
  code: string;
  names: Translations;
  groupId: string;
  groupCode: string;
  groupNames: Translations;
}

export interface StoredPrice {
  currency: string;
  /** Minor units as a decimal string (bigint). */
  amountMinor: string;
}

/** A variant with its prices and option values (one statement per batch). */
export interface Variant {
  id: string;
  productId: string;
  sku: string;
  status: 'active' | 'archived';
  options: VariantOption[];
  prices: StoredPrice[];
}

export type ProductSort = 'RELEVANCE' | 'PRICE_ASC' | 'PRICE_DESC' | 'NEWEST' | 'NAME';

/** A filter as the repository applies it: amounts in minor units of `currency`. */
export interface ProductFilter {
  /** The category asked for and every category below it; null for no category filter. */
  categoryIds: string[] | null;
  collectionId: string | null;
  search: string | null;
  priceMin: bigint | null;
  priceMax: bigint | null;
  options: { group: string; values: string[] }[];
  /** Only products with (true) or without (false) an active variant in stock, as the catalog's copy of the inventory has it. */
  inStock: boolean | null;
}

/** Everything a listing depends on besides the page bounds. */
export interface ListingScope {
  filter: ProductFilter;
  currency: string;
  /** The request's locale fallback chain; names and search read translations in these locales. */
  chain: string[];
  /** The text-search configurations of the chain's languages, for the search query. */
  searchConfigs: string[];
}

/** An option group of a product, with the values its variants have. */
export interface OptionGroup {
  id: string;
  code: string;
  names: Translations;
  values: VariantOption[];
}

/** One edge of a page, with its product as the page's statement read it. */
export interface ProductEdge {
  cursor: string;
  productId: string;
  product: Product;
  /** The product's lowest price in the request's currency, where every active variant has one there (else null). */
  exactLowestMinor: bigint | null;
}

/** What a mutation changed, by id: the product or variant is read back after the transaction. */
export interface SavedReference {
  id: string;
}

export interface ProductSaved {
  product: SavedReference;
}

export interface VariantSaved {
  variant: SavedReference;
}
