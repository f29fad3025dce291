/** Expected failures of the address book, shaped as the GraphQL union members they become. */
export const notFound = () =>
  ({ __typename: 'NotFound', code: 'NOT_FOUND', message: 'No such address in your address book' }) as const;

export const limitReached = (limit: number) =>
  ({
    __typename: 'LimitReached',
    code: 'LIMIT_REACHED',
    message: `An address book holds at most ${limit} addresses; delete one first`,
    limit,
  }) as const;
