/** Expected failures of the catalog service, shaped as the GraphQL union members they become. */

export const duplicateSku = (sku: string) => ({ __typename: 'DuplicateSku', code: 'DUPLICATE_SKU', message: `Another variant has the SKU ${sku}`, sku }) as const;

export const duplicateSlug = (locale: string, slug: string) =>
  ({ __typename: 'DuplicateSlug', code: 'DUPLICATE_SLUG', message: `Another product has or had the slug ${slug} in ${locale}`, locale, slug }) as const;

export const negativePrice = <Currency extends string>(currency: Currency) => ({ __typename: 'NegativePrice', code: 'NEGATIVE_PRICE', message: 'A price cannot be below zero', currency }) as const;
