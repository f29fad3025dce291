import type { RouterOperations } from '../router-calls/router-operations.client.js';
import { ACCOUNT_ERASURE_ROLE } from './account-erasure.targets.js';

export interface AccountErasure {
  subgraph: string;
  userId: string;
}

/**
 * Erases a deleted account's data in one other subgraph, through the router, as the deleted account
 * with the erasure role only. Delivered by the outbox until it succeeds; the mutations are idempotent,
 * so a retry after a lost answer does no harm.
 */
export function createAccountEraser(options: { router: RouterOperations; targets: Readonly<Record<string, string>> }) {
  return async function erase({ subgraph, userId }: AccountErasure): Promise<void> {
    const operation = options.targets[subgraph];
    if (!operation) throw new Error(`no erasure operation is known for the ${subgraph} subgraph`);
    const data = await options.router.run(operation, { userId, roles: [ACCOUNT_ERASURE_ROLE] });
    const outcomes = Object.values(data) as ({ __typename?: string } | null)[];
    if (outcomes.length !== 1 || outcomes[0]?.__typename !== 'AccountDataErased') throw new Error(`${operation} answered without AccountDataErased`);
  };
}
