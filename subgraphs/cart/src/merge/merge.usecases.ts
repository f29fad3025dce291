import { isUuid, serviceUnavailableError, type Logger } from '@meridian/platform';
import { cartNotFound } from '../cart.errors.js';
import { canUseCart } from '../carts/cart-access.rules.js';
import type { CartsRepository } from '../carts/carts.repository.js';
import type { Shopper } from '../carts/carts.usecases.js';
import type { CartDb } from '../db.js';
import type { CatalogOffers } from '../graph/catalog-offers.client.js';
import type { StockQuantities } from '../graph/stock-levels.client.js';
import { planMerge, type VariantOffer } from './merge.rules.js';

export type MergeUseCases = ReturnType<typeof createMergeUseCases>;

/** Guest lines that changed between reading the prices and taking the locks: read again, at most this often. */
const ATTEMPTS = 3;

/**
 * Signing in with a guest cart: its lines merge into the user's cart (created, in the request's currency, if
 * the user has none) by the policy of merge.rules.ts; its addresses and shipping method come along when the
 * user's cart has no address, its discount code when the user's cart has none; then it is closed for good,
 * all in one transaction. Prices and stock are read
 * first, outside it (they come through the graph); the guest cart's lines are read again under its lock,
 * and a line that appeared in between starts the merge over.
 */
export function createMergeUseCases(deps: { db: CartDb; carts: CartsRepository; catalog: CatalogOffers; stock: StockQuantities; log: Logger }) {
  const { db, carts } = deps;

  return {
    async merge(shopper: Shopper & { userId: string }, guestCartId: string, cartToken: string) {
      if (!isUuid(guestCartId)) return cartNotFound();
      const guestId = guestCartId.toLowerCase();
      for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        const guest = await carts.header(db, guestId);
        // Only a guest cart merges: the user's own cart opens without a token and is no guest cart.
        if (guest?.userId !== null || !canUseCart(guest, shopper.userId, cartToken)) return cartNotFound();
        const [own] = await carts.openCartOfUsers([shopper.userId]);
        const currency = own ? (await carts.header(db, own.id))!.currency : shopper.currency;
        const variantIds = [...new Set((await carts.lines(db, guestId)).map((line) => line.variantId))];
        let offers: Map<string, VariantOffer>;
        try {
          offers = await deps.catalog(variantIds, currency, { withStock: true });
        } catch (error) {
          deps.log.warn({ err: error }, 'the catalog could not be asked for prices; the guest cart was not merged');
          throw serviceUnavailableError();
        }
        const available = await deps.stock(variantIds);

        const outcome = await db.transaction(async (tx) => {
          const locked = await carts.lockHeader(tx, guestId);
          if (locked?.userId !== null || !canUseCart(locked, shopper.userId, cartToken)) return cartNotFound();
          const guestLines = await carts.lines(tx, guestId);
          if (guestLines.some((line) => !variantIds.includes(line.variantId))) return 'again' as const;
          const userCartId = await carts.openOrCreateUserCart(tx, shopper.userId, currency);
          const userCart = (await carts.lockHeader(tx, userCartId))!;
          // Created by a concurrent request in another currency a moment ago: the prices were read for this one.
          if (userCart.currency !== currency) return 'again' as const;
          const plan = planMerge({ userLines: await carts.lines(tx, userCartId), guestLines, offers, available });
          await carts.setQuantities(tx, userCartId, plan.updates);
          await carts.insertLines(tx, userCartId, plan.inserts);
          // The guest's shipping method was chosen for the guest's address: both come over together, or neither.
          await carts.update(tx, userCartId, {
            ...(userCart.shippingAddress === null && locked.shippingAddress !== null
              ? { shippingAddress: locked.shippingAddress, billingAddress: locked.billingAddress, shippingMethodCode: locked.shippingMethodCode }
              : {}),
            ...(userCart.discountCodeId === null && locked.discountCodeId !== null ? { discountCodeId: locked.discountCodeId } : {}),
          });
          await carts.closeMerged(tx, guestId, userCartId);
          return {
            __typename: 'GuestCartMerged',
            cart: { id: userCartId },
            guestCartId: guestId,
            adjustments: plan.adjustments,
          } as const;
        });
        if (outcome !== 'again') return outcome;
      }
      throw serviceUnavailableError();
    },
  };
}
