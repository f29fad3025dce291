import { notFound } from '@meridian/platform';

/** Expected failures of the address book, shaped as the GraphQL union members they become. */
export const addressNotFound = () => notFound('No such address in your address book');

export const limitReached = (limit: number) =>
  ({
    __typename: 'LimitReached',
    code: 'LIMIT_REACHED',
    message: `An address book holds at most ${limit} addresses; delete one first`,
    limit,
  }) as const;
