import { dataOf, type SendOperation } from '@meridian/platform';
import type { AddressInput } from '@meridian/addresses';

/** One of the caller's address-book entries, read with the caller's own access token; null when it is not theirs or not there. */
export type AddressBookEntry = (addressId: string, accessToken: string) => Promise<(AddressInput & { id: string }) | null>;

/**
 * The users service's address book, read through the router as the shopper (`CartAddressBookEntry`): the
 * users service answers only the owner's own address (`@private`), so the cart never decides who owns an
 * address. Throws when the graph cannot be asked.
 */
export function createAddressBookEntry(send: SendOperation): AddressBookEntry {
  return async (addressId, accessToken) => {
    const data = dataOf('CartAddressBookEntry', await send({ id: addressId }, accessToken));
    const node = data.node as (AddressInput & { id?: string }) | null;
    return node?.id ? { ...node, id: node.id } : null;
  };
}
