import type { Viewer } from '@meridian/platform';
import type { CartsRepository } from '../carts/carts.repository.js';
import type { CartDb } from '../db.js';

export type AccountErasureUseCases = ReturnType<typeof createAccountErasureUseCases>;

/**
 * The cart service's part of account deletion: the auth service's outbox calls it (through the router,
 * retried until it succeeds) with a token naming the deleted account. Every cart of the account goes, with
 * its lines and addresses. Idempotent: a second call finds nothing and answers the same.
 */
export function createAccountErasureUseCases(deps: { db: CartDb; carts: CartsRepository }) {
  return {
    async erase(viewer: Viewer) {
      await deps.db.transaction((tx) => deps.carts.deleteByUser(tx, viewer.userId));
      return { __typename: 'AccountDataErased', userId: viewer.userId } as const;
    },
  };
}
