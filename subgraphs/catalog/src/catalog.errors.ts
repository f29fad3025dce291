/** Expected failures of the catalog service, shaped as the GraphQL union members they become. */

export const duplicateSku = (sku: string) => ({ __typename: 'DuplicateSku', code: 'DUPLICATE_SKU', message: `Another variant has the SKU ${sku}`, sku }) as const;

export const duplicateSlug = (locale: string, slug: string) =>
  ({ __typename: 'DuplicateSlug', code: 'DUPLICATE_SLUG', message: `Another product has or had the slug ${slug} in ${locale}`, locale, slug }) as const;

export const negativePrice = <Currency extends string>(currency: Currency) => ({ __typename: 'NegativePrice', code: 'NEGATIVE_PRICE', message: 'A price cannot be below zero', currency }) as const;

/** A price in a currency the shop does not sell in (`sold`: the ones it does); the same type the localization service answers. */
export const currencyNotEnabled = <Currency extends string>(currencyCode: Currency, sold: readonly string[]) =>
  ({
    __typename: 'CurrencyNotEnabled',
    code: 'CURRENCY_NOT_ENABLED',
    message: `The shop does not sell in ${currencyCode}; it sells in ${[...sold].sort().join(', ')}`,
    currencyCode,
  }) as const;
