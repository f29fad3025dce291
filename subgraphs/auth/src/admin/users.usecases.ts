import { badUserInputError, isUuid } from '@meridian/platform';
import type { Account } from '../accounts/accounts.model.js';
import type { AccountsRepository, AccountFilter } from '../accounts/accounts.repository.js';

const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;

// A cursor is the user's id, packed (16 bytes, base64url): opaque to clients, stable for as long as the user exists.
const cursorOf = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex').toString('base64url');

function idOf(cursor: string, argument: 'after' | 'before'): string {
  const bytes = Buffer.from(cursor, 'base64url');
  const hex = bytes.toString('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  if (bytes.length !== 16 || cursorOf(id) !== cursor || !isUuid(id)) throw badUserInputError(`${argument} is not a cursor of this connection`);
  return id;
}

export interface UserPageArgs {
  filter?: AccountFilter | null;
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** A page of the `users` connection; `filter` stays with it so `totalCount` is counted only when asked for. */
export interface UserPage {
  edges: { cursor: string; node: Account }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  filter: AccountFilter;
}

function pageSize(value: number | null | undefined, argument: 'first' | 'last'): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE) throw badUserInputError(`${argument} must be between 0 and ${MAX_PAGE}`);
  return value;
}

export type AdminUseCases = ReturnType<typeof createAdminUseCases>;

/** Support staff's view of the accounts; who may call it is declared in the SDL (`@requiresScopes`). */
export function createAdminUseCases(deps: { accounts: AccountsRepository }) {
  return {
    /**
     * Relay cursor pagination over the accounts, newest first (the algorithm of the Relay Cursor
     * Connections spec): `after` and `before` bound the range, then `first` takes from its start or
     * `last` from its end. Keyset on the time-ordered id, so a page costs the same anywhere in the list.
     */
    async listUsers(args: UserPageArgs): Promise<UserPage> {
      const first = pageSize(args.first, 'first');
      const last = pageSize(args.last, 'last');
      if (first !== null && last !== null) throw badUserInputError('Pass first or last, not both');
      const filter: AccountFilter = { emailContains: args.filter?.emailContains ?? null, role: args.filter?.role ?? null };
      // Newest first: the users after a cursor are older (smaller ids), the ones before it newer.
      const range = { olderThan: args.after ? idOf(args.after, 'after') : null, newerThan: args.before ? idOf(args.before, 'before') : null };

      const backward = last !== null;
      const size = backward ? last : (first ?? DEFAULT_PAGE);
      const rows = size === 0 ? [] : await deps.accounts.list(filter, range, { limit: size + 1, newestFirst: !backward });
      const more = rows.length > size;
      const page = rows.slice(0, size);
      if (backward) page.reverse();

      const edges = page.map((node) => ({ cursor: cursorOf(node.id), node }));
      // Towards the requested end the answer is exact; on the far side of a cursor, whether anything lies there.
      const remaining = more || (size === 0 && (await deps.accounts.exists(filter, range)));
      const beyond = async (cursorId: string | null, side: 'atOrNewerThan' | 'atOrOlderThan') =>
        cursorId !== null && deps.accounts.exists(filter, { [side]: cursorId });
      return {
        edges,
        pageInfo: {
          hasNextPage: backward ? await beyond(range.newerThan, 'atOrOlderThan') : remaining,
          hasPreviousPage: backward ? remaining : await beyond(range.olderThan, 'atOrNewerThan'),
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
        filter,
      };
    },

    countUsers: (filter: AccountFilter) => deps.accounts.count(filter),
  };
}
