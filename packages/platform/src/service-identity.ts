import { v5 as uuidv5 } from 'uuid';

/**
 * The access-token claim that names the service client a token was issued to (RFC 9068 2.2, after
 * RFC 8693 4.3). Tokens of users carry none; a token with one is a service identity: it reaches
 * `@public` fields and the `@requiresScopes` fields its roles satisfy, never a user's
 * (`@authenticated`, `@private`; see authorization.ts).
 */
export const SERVICE_CLIENT_CLAIM = 'client_id';

/**
 * The roles a service client may hold (`SERVICE_CLIENTS` on the auth service). A role joins this list
 * in code, with review, never by configuration: `customer` and `admin` are people's roles, and
 * `account_erasure` is the auth service's own (its outbox erases a deleted account as that account).
 * - `checkout`: reserve, release and commit stock and read reservations and stock levels (inventory), read and
 *   close the cart being checked out.
 * - `notifications`: read the orders service's event feed and the recipient of an account's mail.
 * - `payments`: record captures and refunds on orders (`markOrderPaid`, `recordOrderRefund`) and read what paying
 *   needs (the cart, `checkoutCart`; a guest's order, `guestOrder`); never stock.
 */
export const SERVICE_ROLES: readonly string[] = ['checkout', 'notifications', 'payments'];

export const isServiceRole = (role: string): boolean => SERVICE_ROLES.includes(role);

/** A client id: lower-case letters, digits, `-` and `_`, starting with a letter, at most 64 characters. */
export const SERVICE_CLIENT_ID = /^[a-z][a-z0-9_-]{0,63}$/;

// Fixed for good: every subject derived from it would change with it.
const SERVICE_SUBJECT_NAMESPACE = '9eb36039-9c4b-4e0c-90dc-92211ce44391';

/**
 * The `sub` of a client's tokens: a UUIDv5 of its id (RFC 9562 5.5), the same on every replica and
 * every restart, so other services can key what a client does by it. Account ids are UUIDv7, so a
 * client's subject never names an account.
 */
export function serviceSubject(clientId: string): string {
  return uuidv5(clientId, SERVICE_SUBJECT_NAMESPACE);
}
