/** Expected failures of the localization service, shaped as the GraphQL union members they become. */

export type RateUnavailable = ReturnType<typeof rateUnavailable>;
export type CurrencyNotEnabled = ReturnType<typeof currencyNotEnabled>;

export const rateUnavailable = (from: string, to: string) =>
  ({
    __typename: 'RateUnavailable',
    code: 'RATE_UNAVAILABLE',
    message: `No exchange rate from ${from} to ${to} is known; import rates first`,
    from,
    to,
  }) as const;

export const currencyNotEnabled = (currencyCode: string) =>
  ({
    __typename: 'CurrencyNotEnabled',
    code: 'CURRENCY_NOT_ENABLED',
    message: `The shop does not sell in ${currencyCode}`,
    currencyCode,
  }) as const;

export const localeNotEnabled = (locale: string) =>
  ({ __typename: 'LocaleNotEnabled', code: 'LOCALE_NOT_ENABLED', message: `The shop does not offer ${locale}`, locale }) as const;

export const defaultCannotBeDisabled = (what: 'locale' | 'currency', code: string) =>
  ({
    __typename: 'DefaultCannotBeDisabled',
    code: 'DEFAULT_CANNOT_BE_DISABLED',
    message: `${code} is the shop's default ${what}; make another one the default first`,
  }) as const;
