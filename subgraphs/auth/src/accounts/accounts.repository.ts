import { and, arrayContains, desc, eq, ilike, inArray, lt, sql } from 'drizzle-orm';
import { users } from '@meridian/db/auth';
import type { AuthDb, AuthExecutor } from '../db.js';
import type { Account } from './accounts.model.js';

const accountColumns = {
  id: users.id,
  email: users.email,
  emailVerified: users.emailVerified,
  roles: users.roles,
  locale: users.locale,
  createdAt: users.createdAt,
};

export interface Credentials {
  account: Account;
  passwordHash: string;
}

function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if ((current as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/** LIKE wildcards in user input match themselves. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);

export type AccountsRepository = ReturnType<typeof createAccountsRepository>;

export function createAccountsRepository({ db }: { db: AuthDb }) {
  async function credentials(where: ReturnType<typeof eq>, executor: AuthExecutor): Promise<Credentials | null> {
    const [row] = await executor
      .select({ ...accountColumns, passwordHash: users.passwordHash })
      .from(users)
      .where(where);
    if (!row) return null;
    const { passwordHash, ...account } = row;
    return { account, passwordHash };
  }

  // Built once: `me` and every User reference run it, and building a query costs more CPU than sending it.
  const byIds = db
    .select(accountColumns)
    .from(users)
    .where(sql`${users.id} = any(${sql.placeholder('ids')})`)
    .prepare('accounts_by_ids');

  return {
    async findByIds(ids: readonly string[], executor: AuthExecutor = db): Promise<Account[]> {
      if (executor === db) return byIds.execute({ ids: [...ids] });
      return executor.select(accountColumns).from(users).where(inArray(users.id, [...ids]));
    },

    findCredentialsByEmail: (email: string, executor: AuthExecutor = db) => credentials(eq(users.email, email), executor),

    findCredentialsById: (id: string, executor: AuthExecutor = db) => credentials(eq(users.id, id), executor),

    /**
     * Inserts an account; `null` when the e-mail address is already registered. ON CONFLICT keeps
     * the surrounding transaction usable, and the unique index still decides between racing sign-ups.
     */
    async insert(tx: AuthExecutor, input: { email: string; passwordHash: string; emailVerified: boolean; locale: string | null }): Promise<Account | null> {
      const [account] = await tx.insert(users).values(input).onConflictDoNothing({ target: users.email }).returning(accountColumns);
      return account ?? null;
    },

    /**
     * Whether the account still has `passwordHash`, holding a share lock until the transaction ends:
     * a password change running at the same moment either waits for this sign-in (and then ends the
     * session it opens) or has already replaced the hash (and this sign-in fails).
     */
    async stillHasPassword(tx: AuthExecutor, id: string, passwordHash: string): Promise<boolean> {
      const [row] = await tx.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, id)).for('share');
      return row?.passwordHash === passwordHash;
    },

    async updatePasswordHash(tx: AuthExecutor, id: string, passwordHash: string): Promise<void> {
      await tx.update(users).set({ passwordHash }).where(eq(users.id, id));
    },

    /** Moves an account to a verified new address; false when another account took it first. */
    async updateEmail(tx: AuthExecutor, id: string, email: string): Promise<boolean> {
      try {
        // A savepoint: a unique violation must not abort the caller's transaction.
        const rows = await tx.transaction((savepoint) =>
          savepoint.update(users).set({ email, emailVerified: true }).where(eq(users.id, id)).returning({ id: users.id }),
        );
        return rows.length > 0;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },

    /** Newest first, keyset-paginated on the time-ordered id. */
    async list(options: { emailContains?: string | null; role?: string | null; before?: string | null; limit: number }): Promise<Account[]> {
      return db
        .select(accountColumns)
        .from(users)
        .where(
          and(
            options.emailContains ? ilike(users.email, `%${escapeLike(options.emailContains.toLowerCase())}%`) : undefined,
            options.role ? arrayContains(users.roles, [options.role]) : undefined,
            options.before ? lt(users.id, options.before) : undefined,
          ),
        )
        .orderBy(desc(users.id))
        .limit(options.limit);
    },
  };
}
