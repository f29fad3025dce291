/** The role of the tokens that erase a deleted account's data; every target's erasure mutation requires it. No account holds it. */
export const ACCOUNT_ERASURE_ROLE = 'account_erasure';

/**
 * Every other subgraph that keeps data about an account, with the service operation that erases it
 * there (schema/service-operations): a mutation `erase<Subgraph>AccountData` declared
 * `@requiresScopes(scopes: [["account_erasure"]])` that erases what it holds of the account its token
 * names, idempotently. A subgraph that stores personal data joins account deletion by adding itself
 * here; tests/account-deletion.test.ts fails while a subgraph that resolves `User` fields, or whose database
 * schema has a `user_id` column, is missing.
 */
export const ACCOUNT_ERASURE_TARGETS: Readonly<Record<string, string>> = {
  users: 'EraseUsersAccountData',
  cart: 'EraseCartAccountData',
  orders: 'EraseOrdersAccountData',
  notifications: 'EraseNotificationsAccountData',
};
