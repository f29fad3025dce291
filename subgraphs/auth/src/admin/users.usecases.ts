import { isUuid } from '@meridian/platform';
import type { Account } from '../accounts/accounts.model.js';
import type { AccountsRepository } from '../accounts/accounts.repository.js';

const MAX_PAGE = 100;

const cursorOf = (id: string) => Buffer.from(id).toString('base64url');
const idOf = (cursor: string) => Buffer.from(cursor, 'base64url').toString();

export interface UserPage {
  edges: { cursor: string; node: Account }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export type AdminUseCases = ReturnType<typeof createAdminUseCases>;

/** Support staff's view of the accounts; who may call it is declared in the SDL (`@requiresScopes`). */
export function createAdminUseCases(deps: { accounts: AccountsRepository }) {
  return {
    async listUsers(args: { filter?: { emailContains?: string | null; role?: string | null } | null; first?: number | null; after?: string | null }): Promise<UserPage> {
      const first = Math.min(Math.max(args.first ?? 20, 1), MAX_PAGE);
      const before = args.after ? idOf(args.after) : null;
      if (before !== null && !isUuid(before)) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
      const rows = await deps.accounts.list({ emailContains: args.filter?.emailContains, role: args.filter?.role, before, limit: first + 1 });
      const page = rows.slice(0, first);
      const edges = page.map((node) => ({ cursor: cursorOf(node.id), node }));
      return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
    },
  };
}
