import { and, arrayContains, asc, desc, eq, gt, gte, ilike, inArray, lt, lte, sql } from 'drizzle-orm';
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

/** Which accounts support staff list: part of the e-mail address, a role (stored lower case, e.g. `admin`). */
export interface AccountFilter {
  emailContains?: string | null;
  role?: string | null;
}

function matching(filter: AccountFilter) {
  return [
    filter.emailContains ? ilike(users.email, `%${escapeLike(filter.emailContains.toLowerCase())}%`) : undefined,
    filter.role ? arrayContains(users.roles, [filter.role]) : undefined,
  ];
}

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

    /** The account's credentials, locked until the transaction ends: sign-ins and changes racing it wait. */
    async lockCredentials(tx: AuthExecutor, id: string): Promise<Credentials | null> {
      const [row] = await tx
        .select({ ...accountColumns, passwordHash: users.passwordHash })
        .from(users)
        .where(eq(users.id, id))
        .for('update');
      if (!row) return null;
      const { passwordHash, ...account } = row;
      return { account, passwordHash };
    },

    /** Account deletion: the row goes; its links go with it (foreign keys), its sessions must be detached first. */
    async delete(tx: AuthExecutor, id: string): Promise<void> {
      await tx.delete(users).where(eq(users.id, id));
    },

    /** Adds a role (stored lower case) unless the account has it; the account's roles as they are now. */
    async grantRole(tx: AuthExecutor, id: string, role: string): Promise<string[]> {
      const [row] = await tx
        .update(users)
        .set({ roles: sql`case when ${role} = any(${users.roles}) then ${users.roles} else array_append(${users.roles}, ${role}) end` })
        .where(eq(users.id, id))
        .returning({ roles: users.roles });
      return row?.roles ?? [];
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

    /** A keyset page of accounts on the time-ordered id, newest or oldest first, within an open range of ids. */
    async list(filter: AccountFilter, range: { olderThan?: string | null; newerThan?: string | null }, page: { limit: number; newestFirst: boolean }): Promise<Account[]> {
      return db
        .select(accountColumns)
        .from(users)
        .where(and(...matching(filter), range.olderThan ? lt(users.id, range.olderThan) : undefined, range.newerThan ? gt(users.id, range.newerThan) : undefined))
        .orderBy(page.newestFirst ? desc(users.id) : asc(users.id))
        .limit(page.limit);
    },

    /** Whether any matching account lies in the range (bounds as given: open, or closed with `atOr…`). */
    async exists(
      filter: AccountFilter,
      range: { olderThan?: string | null; newerThan?: string | null; atOrOlderThan?: string | null; atOrNewerThan?: string | null },
    ): Promise<boolean> {
      const [row] = await db
        .select({ id: users.id })
        .from(users)
        .where(
          and(
            ...matching(filter),
            range.olderThan ? lt(users.id, range.olderThan) : undefined,
            range.newerThan ? gt(users.id, range.newerThan) : undefined,
            range.atOrOlderThan ? lte(users.id, range.atOrOlderThan) : undefined,
            range.atOrNewerThan ? gte(users.id, range.atOrNewerThan) : undefined,
          ),
        )
        .limit(1);
      return row !== undefined;
    },

    async count(filter: AccountFilter): Promise<number> {
      const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(users).where(and(...matching(filter)));
      return row?.count ?? 0;
    },
  };
}
