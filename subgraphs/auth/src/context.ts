import DataLoader from 'dataloader';
import type { RequestBase } from '@meridian/platform';
import type { Account } from './accounts/accounts.model.js';
import type { AccountsRepository } from './accounts/accounts.repository.js';
import type { AccountUseCases } from './accounts/accounts.usecases.js';
import type { SessionUseCases } from './sessions/sessions.usecases.js';

/** Everything a resolver of the auth subgraph may use, built once per request. */
export interface AuthContext extends RequestBase {
  loaders: AuthLoaders;
  accounts: AccountUseCases;
  sessions: SessionUseCases;
}

export interface AuthLoaders {
  accountById: DataLoader<string, Account | null>;
}

export function createLoaders(accounts: AccountsRepository): AuthLoaders {
  return {
    accountById: new DataLoader(async (ids) => {
      const byId = new Map((await accounts.findByIds(ids)).map((account) => [account.id, account]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
