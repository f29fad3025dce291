import type { Viewer } from '@meridian/platform';
import type { NotificationsDb } from '../db.js';
import type { DeliveriesRepository } from '../deliveries/deliveries.repository.js';

export type AccountErasureUseCases = ReturnType<typeof createAccountErasureUseCases>;

/**
 * The notifications service's part of account deletion: the auth service's outbox calls it (through the router,
 * retried until it succeeds, and once more after the access-token lifetime) with a token naming the deleted
 * account. Every delivery of the account goes, sent or not, with the address it went to and what it said; only
 * its event id and kind stay, so the event read again sends nothing. Idempotent: a second call finds nothing and
 * answers the same.
 */
export function createAccountErasureUseCases(deps: { db: NotificationsDb; deliveries: DeliveriesRepository }) {
  return {
    async erase(viewer: Viewer) {
      await deps.db.transaction((tx) => deps.deliveries.eraseAccount(tx, viewer.userId));
      return { __typename: 'AccountDataErased', userId: viewer.userId } as const;
    },
  };
}
