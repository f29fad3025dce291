import type { DeliveryRow } from '@meridian/db/notifications';
import { badUserInputError, isUuid } from '@meridian/platform';
import { deliveryAlreadySent, deliveryNotFound } from '../notifications.errors.js';
import type { DeliveriesRepository, DeliveryStatus } from './deliveries.repository.js';

export type DeliveryUseCases = ReturnType<typeof createDeliveryUseCases>;

export interface DeliveryPage {
  edges: { cursor: string; node: DeliveryRow }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

const MAX_PAGE = 100;

// A cursor is the delivery's id, packed (16 bytes, base64url): opaque to clients.
const cursorOf = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex').toString('base64url');

function idOf(cursor: string): string {
  const hex = Buffer.from(cursor, 'base64url').toString('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  if (hex.length !== 32 || cursorOf(id) !== cursor || !isUuid(id)) throw badUserInputError('after is not a cursor of this connection');
  return id;
}

/** What admins do with deliveries (the fields are admin-only in the SDL): list them, retry a dead letter. */
export function createDeliveryUseCases(deps: { deliveries: DeliveriesRepository }) {
  const { deliveries } = deps;
  return {
    async list(args: { status?: DeliveryStatus | null; first?: number | null; after?: string | null }): Promise<DeliveryPage> {
      const first = args.first ?? 20;
      if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badUserInputError(`first must be between 1 and ${MAX_PAGE}`);
      const after = args.after ? idOf(args.after) : null;
      const status = args.status ?? null;
      const [rows, totalCount] = await Promise.all([deliveries.page(status, after, first + 1), deliveries.count(status)]);
      const edges = rows.slice(0, first).map((node) => ({ cursor: cursorOf(node.id), node }));
      return {
        edges,
        pageInfo: { hasNextPage: rows.length > first, hasPreviousPage: after !== null, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
        totalCount,
      };
    },

    async retry(id: string) {
      if (!isUuid(id)) return deliveryNotFound();
      const requeued = await deliveries.requeue(id.toLowerCase());
      if (requeued) return { __typename: 'NotificationRetried', delivery: requeued } as const;
      return (await deliveries.byId(id.toLowerCase())) ? deliveryAlreadySent() : deliveryNotFound();
    },
  };
}
