import DataLoader from 'dataloader';
import type { RequestBase } from '@meridian/platform';
import type { Account } from './accounts/accounts.model.js';
import type { AccountsRepository } from './accounts/accounts.repository.js';
import type { SignInUseCases } from './accounts/sign-in.usecases.js';
import type { AdminUseCases } from './admin/users.usecases.js';
import type { AccountDeletionUseCases } from './deletion/account-deletion.usecases.js';
import type { EmailChangeUseCases } from './recovery/email-change.usecases.js';
import type { PasswordUseCases } from './recovery/password.usecases.js';
import type { SecondFactorSignIn } from './second-factors/second-factor-sign-in.usecases.js';
import type { SecondFactorUseCases } from './second-factors/second-factors.usecases.js';
import type { ServiceTokenUseCases } from './service-clients/service-tokens.usecases.js';
import type { RefreshCookie } from './sessions/refresh-cookie.js';
import type { SessionUseCases } from './sessions/sessions.usecases.js';
import type { SignUpUseCases } from './signup/signup.usecases.js';

/** The use cases of the auth service, made once per process. */
export interface AuthUseCases {
  signIn: SignInUseCases;
  signUp: SignUpUseCases;
  passwords: PasswordUseCases;
  emailChange: EmailChangeUseCases;
  sessions: SessionUseCases;
  admin: AdminUseCases;
  deletion: AccountDeletionUseCases;
  serviceTokens: ServiceTokenUseCases;
  secondFactors: SecondFactorUseCases;
  secondFactorSignIn: SecondFactorSignIn;
}

/** Everything a resolver of the auth subgraph may use, built once per request. */
export interface AuthContext extends RequestBase, AuthUseCases {
  loaders: AuthLoaders;
  /** The browser's refresh cookie: the token the router relayed from it, and what to do with it afterwards. */
  refreshCookie: RefreshCookie;
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
