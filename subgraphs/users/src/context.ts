import DataLoader from 'dataloader';
import type { ProfileRow } from '@meridian/db/users';
import type { RequestBase } from '@meridian/platform';
import type { Address } from './addresses/addresses.model.js';
import type { AddressesRepository } from './addresses/addresses.repository.js';
import type { AddressFormatUseCases } from './addresses/address-format.usecases.js';
import type { AddressUseCases } from './addresses/addresses.usecases.js';
import type { AccountErasureUseCases } from './erasure/account-erasure.usecases.js';
import type { ProfileUseCases } from './profile/profile.usecases.js';
import type { ProfilesRepository } from './profile/profiles.repository.js';

/** Everything a resolver of the users subgraph may use, built once per request. */
export interface UsersContext extends RequestBase {
  loaders: UsersLoaders;
  profiles: ProfileUseCases;
  addresses: AddressUseCases;
  addressFormats: AddressFormatUseCases;
  erasure: AccountErasureUseCases;
}

/** One statement per table per batch, whatever the number of users or addresses asked for. */
export interface UsersLoaders {
  profileByUserId: DataLoader<string, ProfileRow | null>;
  addressesByUserId: DataLoader<string, Address[]>;
  addressById: DataLoader<string, Address | null>;
  /** Forgets everything loaded so far: called after every write, so a later field reads what was written. */
  clearAll(): void;
}

export function createLoaders(repositories: { profiles: ProfilesRepository; addresses: AddressesRepository }): UsersLoaders {
  const loaders: Omit<UsersLoaders, 'clearAll'> = {
    profileByUserId: new DataLoader(async (userIds) => {
      const byUser = new Map((await repositories.profiles.findByUserIds(userIds)).map((row) => [row.userId, row]));
      return userIds.map((id) => byUser.get(id) ?? null);
    }),
    addressesByUserId: new DataLoader(async (userIds) => {
      const byUser = new Map<string, Address[]>(userIds.map((id) => [id, []]));
      for (const address of await repositories.addresses.listByUserIds(userIds)) byUser.get(address.userId)?.push(address);
      return userIds.map((id) => byUser.get(id) ?? []);
    }),
    addressById: new DataLoader(async (ids) => {
      const byId = new Map((await repositories.addresses.findByIds(ids)).map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
  return {
    ...loaders,
    clearAll() {
      loaders.profileByUserId.clearAll();
      loaders.addressesByUserId.clearAll();
      loaders.addressById.clearAll();
    },
  };
}
