import { createHash } from 'node:crypto';
import { checkIdempotencyKey, idempotencyKeyReused, isUuid, validationFailed, type FieldViolation, type Logger } from '@meridian/platform';
import type { CheckoutRow, OrderRow } from '@meridian/db/orders';
import type { OrdersDb } from '../db.js';
import type { OrdersRepository } from '../orders/orders.repository.js';
import { cartAlreadyOrdered, cartEmpty, cartNotFound, checkoutAbandoned, checkoutInProgress, outOfStock, pricesChanged } from '../orders.errors.js';
import type { CartSnapshot, CheckoutCaller, CloseCart, FaultPoint, ReadCart, ReadPrices, StockPort, VariantPriceNow } from './checkout.model.js';
import type { CheckoutsRepository } from './checkouts.repository.js';

export type CheckoutUseCases = ReturnType<typeof createCheckoutUseCases>;

const WAIT_STEP_MS = 50;
/** Long enough for an address, short enough for a column; the mail relay decides the rest. */
const EMAIL_MAX_LENGTH = 254;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Failure =
  | ReturnType<typeof cartNotFound>
  | ReturnType<typeof cartEmpty>
  | ReturnType<typeof pricesChanged>
  | ReturnType<typeof outOfStock>
  | ReturnType<typeof validationFailed>
  | ReturnType<typeof checkoutAbandoned>;

export type CheckoutOutcome =
  | { __typename: 'CheckoutCompleted'; order: OrderRow }
  | Failure
  | ReturnType<typeof idempotencyKeyReused>
  | ReturnType<typeof cartAlreadyOrdered>
  | ReturnType<typeof checkoutInProgress>;

export interface CheckoutInput {
  cartId: string;
  cartToken?: string | null;
  idempotencyKey: string;
  email?: string | null;
  /** The request's locale, kept with the order for its mail. */
  locale: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A guest's cart token as the checkout keeps it: its SHA-256 (a retry with the key must hold the same token). */
const tokenHash = (token: string | null) => (token ? createHash('sha256').update(token, 'utf8').digest('base64url') : null);

/** What an order needs that a cart may lack: a taxable shipping address and a shipping method. */
function missingForOrder(cart: CartSnapshot): FieldViolation[] {
  const violations: FieldViolation[] = [];
  if (!cart.shippingAddress) violations.push({ field: 'shippingAddress', code: 'REQUIRED', message: 'Set a shipping address first (setCartAddresses)' });
  else if (cart.taxStatus === 'UNSUPPORTED_COUNTRY') violations.push({ field: 'shippingAddress', code: 'UNAVAILABLE', message: 'The shop does not ship to this country' });
  if (!cart.shippingMethod) violations.push({ field: 'shippingMethod', code: 'REQUIRED', message: 'Choose a shipping method first (setShippingMethod)' });
  return violations;
}

/** Lines the catalog no longer sells, lines whose price changed, and the exchange rate converted prices were taken at. */
function checkPrices(cart: CartSnapshot, prices: Map<string, VariantPriceNow>) {
  const unavailable = cart.lines.filter((line) => (prices.get(line.variantId)?.priceMinor ?? null) === null);
  const changed = cart.lines.filter((line) => {
    const now = prices.get(line.variantId)?.priceMinor;
    return now !== undefined && now !== null && now !== line.unitPriceMinor;
  });
  const exchangeRate = cart.lines.map((line) => prices.get(line.variantId)?.exchangeRate).find((rate) => rate) ?? null;
  return { unavailable, changed, exchangeRate };
}

/**
 * Checkout as a saga with one record per idempotency key (orders.checkouts): read the cart (cart service)
 * and the current prices (catalog), reserve the stock (inventory), then write the order with every price,
 * tax line, rate and address as they are now, and its hand-off to payment (the outbox), in one
 * transaction; then close the cart. A step that fails undoes the ones before it (the reservation is
 * released); the record says how far it got, so the same key answers the same order however often and
 * however concurrently it is sent, and a checkout whose process stopped half-way is finished (order
 * written: the cart is closed) or undone (the reservation released) by the next request with the key or
 * by the recovery job. Each worker holds the record at an `attempt`; one taken over writes nothing more.
 */
export function createCheckoutUseCases(deps: {
  db: OrdersDb;
  checkouts: CheckoutsRepository;
  orders: OrdersRepository;
  readCart: ReadCart;
  readPrices: ReadPrices;
  stock: StockPort;
  closeCart: CloseCart;
  reservationTtlSeconds: number;
  leaseMs: number;
  waitMs: number;
  log: Logger;
  fault?: FaultPoint;
  now?: () => Date;
}) {
  const { db, checkouts, orders, stock } = deps;
  const now = deps.now ?? (() => new Date());

  async function orderOf(row: CheckoutRow): Promise<OrderRow> {
    const [order] = await orders.byIds(db, [row.orderId!]);
    if (!order) throw new Error(`checkout ${row.idempotencyKey} names an order that does not exist`);
    return order;
  }

  /** Fails the checkout: gives its stock back first, then records the answer every retry gets. */
  async function fail(row: CheckoutRow, failure: Failure, reservationId: string | null = row.reservationId): Promise<Failure> {
    if (reservationId) await stock.release(reservationId);
    await checkouts.markFailed(row.idempotencyKey, row.attempt, failure);
    return failure;
  }

  /** The order is written: closing the cart is all that is left; a failure here is finished by the recovery job. */
  async function finish(row: CheckoutRow, order: OrderRow): Promise<CheckoutOutcome> {
    try {
      await deps.closeCart(row.cartId, order.id);
      await checkouts.markCompleted(row.idempotencyKey);
    } catch (error) {
      deps.log.warn({ err: error, orderId: order.id }, 'the cart could not be closed after its order was written; the recovery job will');
    }
    return { __typename: 'CheckoutCompleted', order };
  }

  /** Runs (or resumes) the steps of a checkout this worker holds. */
  async function run(row: CheckoutRow, caller: CheckoutCaller, email: string | null, locale: string): Promise<CheckoutOutcome> {
    if (row.state === 'ordered') return finish(row, await orderOf(row));
    const cart = await deps.readCart(row.cartId, caller);
    if (!cart) return fail(row, cartNotFound());
    if (cart.lines.length === 0) return fail(row, cartEmpty());
    const missing = missingForOrder(cart);
    if (missing.length > 0) return fail(row, validationFailed(missing));
    const prices = await deps.readPrices(
      cart.lines.map((line) => line.variantId),
      cart.currency,
    );
    const { unavailable, changed, exchangeRate } = checkPrices(cart, prices);
    if (unavailable.length > 0) {
      return fail(row, validationFailed(unavailable.map((line) => ({ field: `lines.${line.lineId}`, code: 'UNAVAILABLE', message: 'The catalog no longer sells this variant in the cart’s currency; remove the line' }))));
    }
    if (changed.length > 0) return fail(row, pricesChanged(changed.length));

    // A reservation of an earlier attempt may have run out meanwhile: take a fresh one, then let the old go.
    const previous = row.state === 'reserved' ? row.reservationId : null;
    const reserved = await stock.reserve(
      cart.lines.map((line) => ({ variantId: line.variantId, quantity: line.quantity })),
      deps.reservationTtlSeconds,
    );
    if (previous) await stock.release(previous);
    if (!reserved.ok) return fail(row, outOfStock(reserved.shortages), null);
    if (!(await checkouts.markReserved(row.idempotencyKey, row.attempt, reserved.reservationId))) {
      // Taken over while this worker was reserving: its reservation is nobody's.
      await stock.release(reserved.reservationId);
      return checkoutInProgress();
    }
    await deps.fault?.('after-reservation');

    const order = await db.transaction(async (tx) => {
      const created = await orders.insert(tx, {
        cart,
        userId: caller.userId,
        email: caller.userId === null ? email : null,
        locale,
        skus: new Map([...prices].map(([variantId, price]) => [variantId, price.sku])),
        exchangeRate,
        reservationId: reserved.reservationId,
        actor: caller.userId ?? 'guest',
        now: now(),
      });
      if (!(await checkouts.markOrdered(tx, row.idempotencyKey, row.attempt, created.id))) throw new TakenOver();
      return created;
    });
    await deps.fault?.('after-order');
    return finish(row, order);
  }

  /** The answer a finished checkout gives every time. */
  async function settled(row: CheckoutRow): Promise<CheckoutOutcome | null> {
    if (row.state === 'completed' || row.state === 'ordered') return { __typename: 'CheckoutCompleted', order: await orderOf(row) };
    if (row.state === 'failed') return row.failure as Failure;
    return null;
  }

  return {
    /**
     * The order of a guest's checkout, for whoever holds the token of the cart it came from (the payments service
     * asks, for a guest paying it). A wrong token, a signed-in shopper's order and an unknown id read alike: null.
     * The comparison is of SHA-256 digests of a random secret, so its timing tells nothing about the token.
     */
    async guestOrder(id: string, cartToken: string): Promise<OrderRow | null> {
      if (!isUuid(id) || cartToken === '') return null;
      return checkouts.guestOrder(id.toLowerCase(), tokenHash(cartToken)!);
    },

    async checkout(input: CheckoutInput, viewer: { userId: string } | null): Promise<CheckoutOutcome> {
      const violations: FieldViolation[] = [];
      const keyProblem = checkIdempotencyKey(input.idempotencyKey);
      if (keyProblem) violations.push(keyProblem);
      const email = viewer ? null : (input.email ?? '').trim();
      if (email !== null && (email.length > EMAIL_MAX_LENGTH || !EMAIL.test(email))) {
        violations.push({ field: 'email', code: email === '' ? 'REQUIRED' : 'INVALID_FORMAT', message: 'A guest checkout needs an e-mail address for the confirmation' });
      }
      if (violations.length > 0) return validationFailed(violations);
      if (!isUuid(input.cartId)) return cartNotFound();
      const cartId = input.cartId.toLowerCase();
      const caller: CheckoutCaller = { userId: viewer?.userId ?? null, cartToken: input.cartToken ?? null };
      const cartTokenHash = caller.userId === null ? tokenHash(caller.cartToken) : null;
      const sameCaller = (row: CheckoutRow) => row.userId === caller.userId && row.cartTokenHash === cartTokenHash;

      const claim = await checkouts.claim({ key: input.idempotencyKey, cartId, userId: caller.userId, cartTokenHash });
      let row = claim.row;
      if (!claim.claimed) {
        if (row.idempotencyKey !== input.idempotencyKey) {
          // Another key holds this cart. Only its own caller learns that; anyone else gets what an unknown cart gets.
          if (!sameCaller(row)) return cartNotFound();
          return row.state === 'ordered' || row.state === 'completed' ? cartAlreadyOrdered() : checkoutInProgress();
        }
        if (row.cartId !== cartId || !sameCaller(row)) return idempotencyKeyReused();
        const deadline = Date.now() + deps.waitMs;
        for (;;) {
          const answer = await settled(row);
          if (answer) return answer;
          if (Date.now() - row.updatedAt.getTime() > deps.leaseMs) {
            const taken = await checkouts.takeOver(row.idempotencyKey, row.attempt);
            if (taken) {
              row = taken;
              break;
            }
          }
          if (Date.now() > deadline) return checkoutInProgress();
          await sleep(WAIT_STEP_MS);
          row = (await checkouts.find(input.idempotencyKey)) ?? row;
        }
      }
      try {
        return await run(row, caller, email, input.locale);
      } catch (error) {
        if (error instanceof TakenOver) return checkoutInProgress();
        // An unexpected failure before the order was written (a service that could not be asked): undo and
        // forget the attempt, so that a retry with the key starts over instead of waiting out the lease.
        const current = await checkouts.find(row.idempotencyKey).catch(() => null);
        if (current && current.attempt === row.attempt && (current.state === 'started' || current.state === 'reserved')) {
          try {
            if (current.reservationId) await stock.release(current.reservationId);
            await checkouts.forget(row.idempotencyKey, row.attempt);
          } catch (undo) {
            deps.log.warn({ err: undo }, 'a failed checkout could not be undone at once; the recovery job will');
          }
        }
        throw error;
      }
    },

    /**
     * Finishes or undoes the checkouts whose worker stopped (no progress for the lease): an order already
     * written gets its cart closed; anything before that is failed (`CheckoutAbandoned`) and its stock
     * released, so nothing stays held. A retry with the key then answers what the job decided.
     */
    async recover(limit = 50): Promise<number> {
      let handled = 0;
      for (const stale of await checkouts.stale(deps.leaseMs, limit)) {
        const row = await checkouts.takeOver(stale.idempotencyKey, stale.attempt);
        if (!row) continue;
        if (row.state === 'ordered') {
          await deps.closeCart(row.cartId, row.orderId!);
          await checkouts.markCompleted(row.idempotencyKey);
        } else {
          await fail(row, checkoutAbandoned());
        }
        handled += 1;
      }
      return handled;
    },
  };
}

/** The checkout was taken over by another worker while this one wrote its order: the order is rolled back. */
class TakenOver extends Error {
  override name = 'TakenOver';
}
