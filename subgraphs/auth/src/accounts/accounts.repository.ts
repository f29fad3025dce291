import { eq, inArray } from 'drizzle-orm';
import { users } from '@meridian/db/auth';
import type { AuthDb, AuthExecutor } from '../db.js';
import type { Account } from './accounts.model.js';

const accountColumns = {
  id: users.id,
  email: users.email,
  emailVerified: users.emailVerified,
  roles: users.roles,
  createdAt: users.createdAt,
};

export type AccountsRepository = ReturnType<typeof createAccountsRepository>;

export function createAccountsRepository({ db }: { db: AuthDb }) {
  return {
    async findByIds(ids: readonly string[], executor: AuthExecutor = db): Promise<Account[]> {
      return executor.select(accountColumns).from(users).where(inArray(users.id, [...ids]));
    },

    async findCredentials(email: string): Promise<{ account: Account; passwordHash: string } | null> {
      const [row] = await db
        .select({ ...accountColumns, passwordHash: users.passwordHash })
        .from(users)
        .where(eq(users.email, email));
      if (!row) return null;
      const { passwordHash, ...account } = row;
      return { account, passwordHash };
    },

    /**
     * Inserts an account; `null` when the e-mail address is already registered. ON CONFLICT keeps
     * the surrounding transaction usable, and the unique index still decides between racing sign-ups.
     */
    async insert(tx: AuthExecutor, input: { email: string; passwordHash: string }): Promise<Account | null> {
      const [account] = await tx
        .insert(users)
        .values(input)
        .onConflictDoNothing({ target: users.email })
        .returning(accountColumns);
      return account ?? null;
    },

    async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
      await db.update(users).set({ passwordHash }).where(eq(users.id, id));
    },
  };
}
