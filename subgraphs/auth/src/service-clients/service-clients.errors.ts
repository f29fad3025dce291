/** The one answer for an unknown client and a wrong secret, shaped as the GraphQL union member it becomes. */
export const invalidClientCredentials = () =>
  ({ __typename: 'InvalidClientCredentials', code: 'INVALID_CLIENT_CREDENTIALS', message: 'The client id or secret is incorrect' }) as const;
