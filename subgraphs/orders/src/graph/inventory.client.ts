import { GraphCallError, dataOf, type GraphAnswer } from '@meridian/platform';
import type { StockPort } from '../checkout/checkout.model.js';

type Send = (variables: Record<string, unknown>) => Promise<GraphAnswer>;

/**
 * The inventory's reservations (`Reserve`, `Release`, `Commit` of schema/service-operations/inventory.graphql),
 * with the orders service's token. `reserve` takes every line or none; `release` and `commit` are idempotent.
 * Anything but a typed answer throws.
 */
export function createStockPort(send: { reserve: Send; release: Send; commit: Send }): StockPort {
  return {
    async reserve(lines, ttlSeconds) {
      const data = dataOf('Reserve', await send.reserve({ lines: lines.map((line) => ({ variantId: line.variantId, quantity: line.quantity })), ttl: ttlSeconds }));
      const result = data.reserve as { __typename: string; id?: string; shortages?: { variant: { id: string }; requested: number; available: number }[] };
      if (result.__typename === 'Reservation') return { ok: true, reservationId: result.id! };
      if (result.__typename === 'OutOfStock') {
        return { ok: false, shortages: result.shortages!.map((shortage) => ({ variantId: shortage.variant.id.toLowerCase(), requested: shortage.requested, available: shortage.available })) };
      }
      throw new GraphCallError(`Reserve answered ${result.__typename}`);
    },
    async release(reservationId) {
      const data = dataOf('Release', await send.release({ reservationId }));
      const result = data.release as { __typename: string };
      // Released, committed or expired before: nothing is held by it either way.
      if (result.__typename !== 'ReservationReleased' && result.__typename !== 'ReservationClosed') throw new GraphCallError(`Release answered ${result.__typename}`);
    },
    async commit(reservationId) {
      const data = dataOf('Commit', await send.commit({ reservationId }));
      const result = data.commit as { __typename: string; status?: string };
      if (result.__typename === 'ReservationCommitted') return true;
      if (result.__typename === 'ReservationClosed') return result.status === 'COMMITTED';
      throw new GraphCallError(`Commit answered ${result.__typename}`);
    },
  };
}
