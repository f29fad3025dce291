import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newNodeId } from '@meridian/platform';
import { createInventoryUseCases } from '@meridian/inventory';
import { loadServiceOperationsDocument, operationText } from '@meridian/schema';
import { eventually } from './support/eventually.js';
import { op, startTestGraph, type TestGraph } from './support/graph.js';

const serviceOperations = loadServiceOperationsDocument();
/** The text of an operation the services send (schema/service-operations), e.g. the checkout's `Reserve`. */
const serviceOp = (name: string) => operationText(serviceOperations, name);

const statements: string[] = [];
let graph: TestGraph;
let admin: string;
let checkout: string;
let shopper: string;
let inventory: ReturnType<typeof createInventoryUseCases>;
const locations: { north: string; south: string } = { north: '', south: '' };

type Result = Record<string, unknown> & { __typename: string };

async function send(query: string, variables: Record<string, unknown>, token?: string): Promise<Result> {
  const response = await graph.request<Record<string, Result>>(query, variables, token ? { token } : {});
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return Object.values(response.body.data!)[0]!;
}

const reserve = (lines: { variantId: string; quantity: number }[], ttl?: number) => send(serviceOp('Reserve'), { lines, ...(ttl ? { ttl } : {}) }, checkout);
const receive = (variantId: string, locationId: string, quantity: number) => send(op('ReceiveStock'), { input: { variantId, locationId, quantity } }, admin);

/** The levels of a variant as stored: `[onHand, reserved]` per location code. */
async function stored(variantId: string): Promise<Record<string, [number, number]>> {
  const rows = await graph.sql<{ code: string; on_hand: number; reserved: number }[]>`
    select s.code, l.on_hand, l.reserved from inventory.stock_levels l join inventory.stock_locations s on s.id = l.location_id
    where l.variant_id = ${variantId} order by s.code`;
  return Object.fromEntries(rows.map((row) => [row.code, [row.on_hand, row.reserved]]));
}

/** As if the reservation's time had run out: the clock is the database's. */
const expire = (reservationId: string) => graph.sql`update inventory.reservations set expires_at = now() - interval '1 second' where id = ${reservationId}`;

beforeAll(async () => {
  // The release job sweeps often here, so that the expiry test sees it run; everything else holds with or without it.
  graph = await startTestGraph({ onStatement: (statement) => statements.push(statement), env: { INVENTORY_EXPIRY_SWEEP_MS: '300', INVENTORY_LOW_STOCK_THRESHOLD: '3', CATALOG_AVAILABILITY_POLL_MS: '60000' } });
  [admin, checkout, shopper] = await Promise.all([
    graph.mintAccessToken({ userId: randomUUID(), roles: ['customer', 'admin'] }),
    // The checkout service's calls carry the `checkout` role, which no account has.
    graph.mintAccessToken({ userId: randomUUID(), roles: ['checkout'] }),
    graph.mintAccessToken({ userId: randomUUID(), roles: ['customer'] }),
  ]);
  inventory = createInventoryUseCases(graph.sql, { lowStockThreshold: 3, reservationTtlSeconds: 900 });
  for (const [key, code] of [['north', 'north-1'], ['south', 'south-1']] as const) {
    const created = await send(op('CreateStockLocation'), { input: { code, name: `Warehouse ${code}` } }, admin);
    expect(created).toMatchObject({ __typename: 'StockLocationCreated', location: { code } });
    locations[key] = (created.location as { id: string }).id;
  }
});
afterAll(() => graph?.stop());

describe('admin stock operations', () => {
  it('creates locations with unique codes, and refuses everyone but admins', async () => {
    expect(await send(op('CreateStockLocation'), { input: { code: 'north-1', name: 'Again' } }, admin)).toMatchObject({
      __typename: 'ValidationFailed',
      fields: [{ field: 'code', code: 'ALREADY_TAKEN' }],
    });
    expect(await send(op('CreateStockLocation'), { input: { code: 'North 1', name: '' } }, admin)).toMatchObject({
      __typename: 'ValidationFailed',
      fields: [{ field: 'code', code: 'INVALID_FORMAT' }, { field: 'name', code: 'REQUIRED' }],
    });
    expect(await send(op('StockLocations'), {}, admin)).toEqual([
      { id: locations.north, code: 'north-1', name: 'Warehouse north-1' },
      { id: locations.south, code: 'south-1', name: 'Warehouse south-1' },
    ]);
    for (const token of [shopper, checkout, undefined]) {
      const response = await graph.request(op('CreateStockLocation'), { input: { code: 'x', name: 'x' } }, token ? { token } : {});
      expect(response.body.errors?.[0]?.extensions?.code).toBe(token ? 'FORBIDDEN' : 'UNAUTHENTICATED');
    }
  });

  it('receives and adjusts stock, never below what is reserved, with typed errors', async () => {
    const variantId = newNodeId('ProductVariant');
    expect(await receive(variantId, locations.north, 5)).toMatchObject({ __typename: 'StockLevelChanged', level: { onHand: 5, reserved: 0, available: 5, location: { code: 'north-1' } } });
    expect(await reserve([{ variantId, quantity: 2 }])).toMatchObject({ __typename: 'Reservation' });
    const adjust = (change: number) => send(op('AdjustStock'), { input: { variantId, locationId: locations.north, change, note: 'stock-take' } }, admin);
    expect(await adjust(-4)).toMatchObject({ __typename: 'ValidationFailed', fields: [{ field: 'change', code: 'OUT_OF_RANGE' }] });
    expect(await adjust(-3)).toMatchObject({ __typename: 'StockLevelChanged', level: { onHand: 2, reserved: 2, available: 0 } });
    expect(await receive(variantId, 'not-an-id', 1)).toMatchObject({ __typename: 'ValidationFailed', fields: [{ field: 'locationId', code: 'INVALID_FORMAT' }] });
    expect(await receive(variantId, randomUUID(), 1)).toMatchObject({ __typename: 'NotFound', code: 'NOT_FOUND' });
    expect(await receive(variantId, locations.north, 0)).toMatchObject({ __typename: 'ValidationFailed', fields: [{ field: 'quantity', code: 'OUT_OF_RANGE' }] });
    expect(await stored(variantId)).toEqual({ 'north-1': [2, 2] });
  });
});

describe('reservations', () => {
  it('100 concurrent reservations of one unit against 10 units: exactly 10 succeed, 90 are OutOfStock', async () => {
    const variantId = newNodeId('ProductVariant');
    await receive(variantId, locations.north, 6);
    await receive(variantId, locations.south, 4);
    const results = await Promise.all(Array.from({ length: 100 }, () => reserve([{ variantId, quantity: 1 }])));
    const reserved = results.filter((result) => result.__typename === 'Reservation');
    const refused = results.filter((result) => result.__typename === 'OutOfStock');
    expect(reserved).toHaveLength(10);
    expect(refused).toHaveLength(90);
    for (const result of refused) expect(result).toMatchObject({ code: 'OUT_OF_STOCK', shortages: [{ variant: { id: variantId }, requested: 1, available: 0 }] });
    expect(await stored(variantId)).toEqual({ 'north-1': [6, 6], 'south-1': [4, 4] });
    expect(await inventory.stock.verifyLedger()).toEqual([]);
  });

  it('takes two-line reservations in either line order at once without deadlocks: all or nothing each', async () => {
    const [a, b] = [await stockedVariant(20), await stockedVariant(15)];
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        reserve(
          index % 2 === 0
            ? [
                { variantId: a, quantity: 1 },
                { variantId: b, quantity: 1 },
              ]
            : [
                { variantId: b, quantity: 1 },
                { variantId: a, quantity: 1 },
              ],
        ),
      ),
    );
    expect(results.filter((result) => result.__typename === 'Reservation')).toHaveLength(15);
    expect(results.filter((result) => result.__typename === 'OutOfStock')).toHaveLength(25);
    expect([await stored(a), await stored(b)]).toEqual([{ 'north-1': [20, 15] }, { 'north-1': [15, 15] }]);
  });

  it('takes every line or none, naming each short line with what is available', async () => {
    const [plenty, scarce] = [newNodeId('ProductVariant'), newNodeId('ProductVariant')];
    await receive(plenty, locations.north, 5);
    await receive(scarce, locations.south, 1);
    expect(await reserve([{ variantId: plenty, quantity: 2 }, { variantId: scarce, quantity: 2 }])).toMatchObject({
      __typename: 'OutOfStock',
      shortages: [{ variant: { id: scarce }, requested: 2, available: 1 }],
    });
    expect(await stored(plenty)).toEqual({ 'north-1': [5, 0] });
    // A line split over both locations when neither holds all of it; lines of one variant are added up.
    await receive(scarce, locations.north, 2);
    const split = await reserve([{ variantId: scarce, quantity: 1 }, { variantId: plenty, quantity: 1 }, { variantId: scarce, quantity: 2 }]);
    expect(split).toMatchObject({ __typename: 'Reservation', status: 'ACTIVE' });
    expect((split.lines as { location: { code: string }; quantity: number; variant: { id: string } }[]).map((line) => [line.variant.id, line.location.code, line.quantity])).toEqual(
      expect.arrayContaining([
        [plenty, 'north-1', 1],
        [scarce, 'north-1', 2],
        [scarce, 'south-1', 1],
      ]),
    );
    expect(await reserve([{ variantId: plenty, quantity: 0 }], 5)).toMatchObject({
      __typename: 'ValidationFailed',
      fields: [{ field: 'lines.0.quantity', code: 'OUT_OF_RANGE' }, { field: 'ttl', code: 'OUT_OF_RANGE' }],
    });
  });

  it('commits and releases once, answering the same when repeated and ReservationClosed when too late', async () => {
    const variantId = newNodeId('ProductVariant');
    await receive(variantId, locations.north, 5);
    const first = await reserve([{ variantId, quantity: 2 }]);
    const second = await reserve([{ variantId, quantity: 1 }]);
    const commit = (id: unknown) => send(serviceOp('Commit'), { reservationId: id }, checkout);
    const release = (id: unknown) => send(serviceOp('Release'), { reservationId: id }, checkout);
    expect(await commit(first.id)).toMatchObject({ __typename: 'ReservationCommitted', reservation: { id: first.id, status: 'COMMITTED' } });
    expect(await commit(first.id)).toMatchObject({ __typename: 'ReservationCommitted', reservation: { status: 'COMMITTED' } });
    expect(await release(first.id)).toMatchObject({ __typename: 'ReservationClosed', code: 'RESERVATION_CLOSED', status: 'COMMITTED' });
    expect(await release(second.id)).toMatchObject({ __typename: 'ReservationReleased', reservation: { status: 'RELEASED' } });
    expect(await release(second.id)).toMatchObject({ __typename: 'ReservationReleased', reservation: { status: 'RELEASED' } });
    expect(await commit(second.id)).toMatchObject({ __typename: 'ReservationClosed', status: 'RELEASED' });
    expect(await commit(randomUUID())).toMatchObject({ __typename: 'NotFound' });
    expect(await release('not an id')).toMatchObject({ __typename: 'NotFound' });
    expect(await stored(variantId)).toEqual({ 'north-1': [3, 0] });
    const kinds = await graph.sql<{ kind: string; on_hand_delta: number; reserved_delta: number }[]>`
      select kind, on_hand_delta, reserved_delta from inventory.stock_movements where variant_id = ${variantId} order by id`;
    expect(kinds.map((row) => [row.kind, row.on_hand_delta, row.reserved_delta])).toEqual([
      ['received', 5, 0],
      ['reserved', 0, 2],
      ['reserved', 0, 1],
      ['shipped', -2, -2],
      ['released', 0, -1],
    ]);
  });

  it('is for the checkout and admins only', async () => {
    for (const token of [shopper, undefined]) {
      const response = await graph.request(serviceOp('Reserve'), { lines: [{ variantId: newNodeId('ProductVariant'), quantity: 1 }] }, token ? { token } : {});
      expect(response.body.errors?.[0]?.extensions?.code).toBe(token ? 'FORBIDDEN' : 'UNAUTHENTICATED');
    }
  });

  it('stops counting an expired reservation at once, and the job releases it', async () => {
    const variantId = newNodeId('ProductVariant');
    await receive(variantId, locations.north, 3);
    const held = await reserve([{ variantId, quantity: 3 }]);
    expect(await reserve([{ variantId, quantity: 1 }])).toMatchObject({ __typename: 'OutOfStock' });
    await expire(held.id as string);
    // Whether or not the job has run yet: the units are available, the reservation reads as expired and cannot be committed.
    expect(await send(serviceOp('Reservation'), { id: held.id }, checkout)).toMatchObject({ status: 'EXPIRED' });
    expect(await send(op('StockLevels'), { variantIds: [variantId] }, admin)).toMatchObject([{ reserved: 0, available: 3, variant: { availability: { quantityAvailable: 3 } } }]);
    expect(await send(serviceOp('Commit'), { reservationId: held.id }, checkout)).toMatchObject({ __typename: 'ReservationClosed', status: 'EXPIRED' });
    expect(await reserve([{ variantId, quantity: 3 }])).toMatchObject({ __typename: 'Reservation' });
    expect(await stored(variantId)).toEqual({ 'north-1': [3, 3] });

    const late = await reserve([{ variantId: await stockedVariant(2), quantity: 2 }]);
    await expire(late.id as string);
    await eventually(async () => expect(await graph.sql`select status from inventory.reservations where id = ${late.id as string}`).toEqual([{ status: 'expired' }]));
    expect(await inventory.stock.verifyLedger()).toEqual([]);
  });
});

/** A new variant with `quantity` units at the north location. */
async function stockedVariant(quantity: number): Promise<string> {
  const variantId = newNodeId('ProductVariant');
  await receive(variantId, locations.north, quantity);
  return variantId;
}

describe('ProductVariant.availability', () => {
  const entitiesQuery = `query($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on ProductVariant { id availability { inStock lowStock quantityAvailable } } }
  }`;
  const entities = async (ids: string[], token: string) => {
    statements.length = 0;
    const response = await graph.requestSubgraph<{ _entities: Record<string, unknown>[] }>(
      'inventory',
      entitiesQuery,
      { representations: ids.map((id) => ({ __typename: 'ProductVariant', id })) },
      { token, routerToken: 'sign' },
    );
    expect(response.body.errors).toBeUndefined();
    // The release job's sweeps (every 300 ms here) are not part of the answer.
    const answering = statements.filter((statement) => statement.includes('"inventory".') && !statement.includes(`status = 'expired'`));
    return { entities: response.body.data!._entities, statements: answering };
  };

  it('shows shoppers in stock and low stock, and only admins the quantity; 50 variants in one statement', async () => {
    const ids = [await stockedVariant(10), await stockedVariant(3), newNodeId('ProductVariant')];
    const many = [...ids, ...Array.from({ length: 47 }, () => newNodeId('ProductVariant'))];
    const asShopper = await entities(many, shopper);
    expect(asShopper.statements).toHaveLength(1);
    expect(asShopper.entities.slice(0, 3)).toEqual([
      { id: ids[0], availability: { inStock: true, lowStock: false, quantityAvailable: null } },
      { id: ids[1], availability: { inStock: true, lowStock: true, quantityAvailable: null } },
      { id: ids[2], availability: { inStock: false, lowStock: false, quantityAvailable: null } },
    ]);
    const asAdmin = await entities(ids, admin);
    expect(asAdmin.statements).toHaveLength(1);
    expect(asAdmin.entities.map((entity) => (entity.availability as { quantityAvailable: number }).quantityAvailable)).toEqual([10, 3, 0]);
  });

  it("joins the catalog's variants through the router: the catalog owns the variant, inventory its availability", async () => {
    const product = await send(op('CreateProduct'), { input: { translations: [{ locale: 'en', name: 'Trail shoe', slug: `trail-shoe-${randomUUID().slice(0, 8)}` }] } }, admin);
    const productId = (product.product as { id: string }).id;
    const variant = await send(op('CreateVariant'), { input: { productId, sku: `TRAIL-${randomUUID().slice(0, 8)}` } }, admin);
    const variantId = (variant.variant as { id: string }).id;
    await receive(variantId, locations.south, 2);
    const page = `query($id: ID) { product(id: $id) { variants { id sku availability { inStock lowStock quantityAvailable } } } }`;
    for (const [token, quantityAvailable] of [[shopper, null], [admin, 2]] as const) {
      expect(await send(page, { id: productId }, token)).toMatchObject({ variants: [{ id: variantId, availability: { inStock: true, lowStock: true, quantityAvailable } }] });
    }
  });

  it('tells anyone which variants are in stock', async () => {
    const [inStock, soldOut] = [await stockedVariant(1), newNodeId('ProductVariant')];
    expect(await send(serviceOp('InStockVariants'), { ids: [soldOut, inStock, 'not an id'] })).toEqual([inStock]);
  });
});

describe('the movements ledger', () => {
  it('rebuilds every level: a level changed outside the ledger is found and set back', async () => {
    expect(await inventory.stock.verifyLedger()).toEqual([]);
    const variantId = await stockedVariant(4);
    await graph.sql`update inventory.stock_levels set on_hand = on_hand + 5 where variant_id = ${variantId}`;
    expect(await inventory.stock.verifyLedger()).toEqual([{ variantId, locationId: locations.north, stored: { onHand: 9, reserved: 0 }, ledger: { onHand: 4, reserved: 0 } }]);
    expect(await inventory.stock.rebuildLevels()).toBe(1);
    expect(await inventory.stock.verifyLedger()).toEqual([]);
    expect(await stored(variantId)).toEqual({ 'north-1': [4, 0] });
    await expect(graph.sql`delete from inventory.stock_movements where variant_id = ${variantId}`).rejects.toThrow(/append-only/);
  });
});

describe('the availability feed', () => {
  const feed = async (after: string | null, first = 1000) =>
    (await send(serviceOp('CatalogAvailabilityChanges'), { after, first })) as unknown as { changes: { variantId: string; inStock: boolean }[]; next: string; hasMore: boolean };

  /** Reads from `after` until the feed has nothing more now: every change, and where to go on from. */
  async function readAll(after: string | null, first = 1000) {
    const changes: { variantId: string; inStock: boolean }[] = [];
    for (let position = after; ; ) {
      const page = await feed(position, first);
      changes.push(...page.changes);
      position = page.next;
      if (!page.hasMore) return { changes, next: page.next };
    }
  }

  it('gives every variant with stock from the start, in pages, then only what moved', async () => {
    const [stocked, soldOut] = [await stockedVariant(2), await stockedVariant(1)];
    await send(op('AdjustStock'), { input: { variantId: soldOut, locationId: locations.north, change: -1 } }, admin);
    const start = await readAll(null, 2);
    expect(start.changes).toContainEqual({ variantId: stocked, inStock: true });
    expect(start.changes).toContainEqual({ variantId: soldOut, inStock: false });

    // Delivery is at least once: a movement whose transaction was still open somewhere in the cluster (other
    // test files' databases share the transaction ids) when the start was read comes again, but nothing new.
    expect((await readAll(start.next)).changes).not.toContainEqual({ variantId: stocked, inStock: false });
    await reserve([{ variantId: stocked, quantity: 2 }]);
    const afterReserve = await readAll(start.next);
    expect(afterReserve.changes).toContainEqual({ variantId: stocked, inStock: false });
  });

  it('misses no movement that commits after a read began, however late', async () => {
    const { next } = await readAll(null);
    const variantId = newNodeId('ProductVariant');
    let during: { changes: { variantId: string }[]; next: string } | null = null;
    await graph.sql.begin(async (tx) => {
      await tx`insert into inventory.stock_levels (variant_id, location_id, on_hand) values (${variantId}, ${locations.south}, 4)`;
      await tx`insert into inventory.stock_movements (id, variant_id, location_id, kind, on_hand_delta, reserved_delta, note)
        values (${randomUUID()}, ${variantId}, ${locations.south}, 'received', 4, 0, 'late')`;
      // A later transaction commits first; then a read while the delivery is written but not committed
      // sees the later one only. Going on from the newest movement read would skip the delivery for good.
      const later = await stockedVariant(1);
      during = await readAll(next);
      expect(during.changes.map((change) => change.variantId)).toContain(later);
      expect(during.changes.map((change) => change.variantId)).not.toContain(variantId);
    });
    expect((await readAll(during!.next)).changes).toContainEqual({ variantId, inStock: true });
  });

  it('refuses a position it did not hand out, and a page size out of range', async () => {
    for (const variables of [{ after: 'not-a-position' }, { after: null, first: 0 }, { after: null, first: 1001 }]) {
      const response = await graph.request(serviceOp('CatalogAvailabilityChanges'), variables);
      expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
