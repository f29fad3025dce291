import { isUuid, serviceUnavailableError, validationFailed, type Logger } from '@meridian/platform';
import { cartNotFound, outOfStock, invalidQuantity, lineNotFound, variantNotSold } from '../cart.errors.js';
import type { CartDb, CartTransaction } from '../db.js';
import type { CatalogOffers } from '../graph/catalog-offers.client.js';
import type { StockQuantities } from '../graph/stock-levels.client.js';
import type { VariantOffer } from '../merge/merge.rules.js';
import { canUseCart, hashCartToken, newCartToken } from './cart-access.rules.js';
import { MAX_CART_LINES, MAX_LINE_QUANTITY, isValidLineQuantity } from './cart-lines.rules.js';
import { cartView } from './cart-view.rules.js';
import type { CartRef, CartView, StoredCart } from './carts.model.js';
import type { CartHeader, CartsRepository } from './carts.repository.js';

export type CartUseCases = ReturnType<typeof createCartUseCases>;

/** Who is asking, as the cart service needs to know it: built once per request (context.ts). */
export interface Shopper {
  /** The signed-in user; null for a guest (and for a service, which is nobody's account). */
  userId: string | null;
  /** The request's currency: the currency of a cart created now. */
  currency: string;
  /** The signed-in user's access token, to read their own address book through the graph; null otherwise. */
  accessToken: string | null;
}

/** How a request names a cart. */
export interface CartKey {
  cartId: string;
  cartToken?: string | null;
}

const ref = (id: string): CartRef => ({ id });

/** Locks a cart the shopper may use, or answers null exactly as for a cart that does not exist. */
export async function lockUsableCart(carts: CartsRepository, tx: CartTransaction, shopper: Shopper, key: CartKey): Promise<CartHeader | null> {
  const header = isUuid(key.cartId) ? await carts.lockHeader(tx, key.cartId.toLowerCase()) : null;
  return canUseCart(header, shopper.userId, key.cartToken) ? header : null;
}

/**
 * Carts and their lines: opening, reading, adding, changing and removing, taking the current prices.
 * Every cart id is looked up and its access checked (token or owner) before anything else; a cart the
 * shopper may not use answers `NotFound` exactly as one that does not exist. Writes lock the cart's row.
 */
export function createCartUseCases(deps: { db: CartDb; carts: CartsRepository; catalog: CatalogOffers; stock: StockQuantities; log: Logger }) {
  const { db, carts } = deps;

  /** The catalog's word on one variant, for a write: without an answer nothing is written. */
  async function offerFor(variantId: string, currency: string): Promise<VariantOffer | undefined> {
    try {
      return (await deps.catalog([variantId], currency, { withStock: true })).get(variantId);
    } catch (error) {
      deps.log.warn({ err: error }, 'the catalog could not be asked for a price; nothing was changed');
      throw serviceUnavailableError();
    }
  }

  /** Whether `quantity` units can be bought: in stock, and no more than the inventory holds where it can say. */
  async function stockShortfall(variantId: string, offer: VariantOffer, quantity: number) {
    if (!offer.inStock) return outOfStock(variantId, quantity, 0);
    const available = (await deps.stock([variantId]))?.get(variantId);
    return available !== undefined && available < quantity ? outOfStock(variantId, quantity, available) : null;
  }

  /** Creates the cart a request without one works on: the signed-in user's (existing or new), or a guest's with a new token. */
  async function openCart(tx: CartTransaction, shopper: Shopper, currency: string): Promise<{ id: string; cartToken: string | null }> {
    if (shopper.userId !== null) return { id: await carts.openOrCreateUserCart(tx, shopper.userId, currency), cartToken: null };
    const cartToken = newCartToken();
    return { id: await carts.insertGuestCart(tx, { currency, tokenHash: hashCartToken(cartToken) }), cartToken };
  }

  return {
    /**
     * The views of these carts (no access check: callers checked it), computed once per cart and request
     * (the loaders): the carts come from one statement, the current prices from one catalog call per currency.
     */
    async views(stored: readonly (StoredCart | null)[]): Promise<(CartView | null)[]> {
      const byCurrency = new Map<string, Set<string>>();
      for (const cart of stored) for (const line of cart?.lines ?? []) byCurrency.set(cart!.currency, (byCurrency.get(cart!.currency) ?? new Set()).add(line.variantId));
      const offers = new Map<string, Map<string, VariantOffer> | null>();
      await Promise.all(
        [...byCurrency].map(async ([currency, variantIds]) => {
          try {
            offers.set(currency, await deps.catalog([...variantIds], currency));
          } catch (error) {
            deps.log.warn({ err: error, currency }, "the catalog's prices could not be read; carts show their own prices unchecked");
            offers.set(currency, null);
          }
        }),
      );
      const now = new Date();
      return stored.map((cart) => (cart === null ? null : cartView(cart, cart.lines.length === 0 ? new Map() : (offers.get(cart.currency) ?? null), now)));
    },

    /** The cart, if the shopper may use it; null exactly as for an unknown one. */
    async find(shopper: Shopper, key: CartKey, load: (id: string) => Promise<StoredCart | null>): Promise<CartRef | null> {
      if (!isUuid(key.cartId)) return null;
      const id = key.cartId.toLowerCase();
      return canUseCart(await load(id), shopper.userId, key.cartToken) ? ref(id) : null;
    },

    /**
     * A reference to a cart from another subgraph (`_entities`): it carries no token, so only the signed-in
     * owner's open cart resolves; anything else is null.
     */
    async reference(shopper: Shopper, id: string, load: (id: string) => Promise<StoredCart | null>): Promise<CartRef | null> {
      if (shopper.userId === null || !isUuid(id)) return null;
      const cart = await load(id.toLowerCase());
      return canUseCart(cart, shopper.userId, null) ? ref(cart!.id) : null;
    },

    /** The signed-in user's open cart, if any (`User.cart`): for that user alone (an admin, whom `@private` lets through, gets null). */
    async ofUser(shopper: Shopper, userId: string, load: (userId: string) => Promise<string | null>): Promise<CartRef | null> {
      if (shopper.userId !== userId) return null;
      const id = await load(userId);
      return id === null ? null : ref(id);
    },

    /** The open carts of these users, by user (the loader behind `User.cart`): one statement. */
    async openCartIdsOfUsers(userIds: readonly string[]): Promise<(string | null)[]> {
      const byUser = new Map((await carts.openCartOfUsers(userIds.filter(isUuid).map((id) => id.toLowerCase()))).map((row) => [row.userId, row.id]));
      return userIds.map((id) => byUser.get(id.toLowerCase()) ?? null);
    },

    /** Carts by id, with their lines and pricing terms (the loader behind every cart read): one statement. */
    async stored(ids: readonly string[]): Promise<(StoredCart | null)[]> {
      const byId = new Map((await carts.load(ids.filter(isUuid).map((id) => id.toLowerCase()))).map((cart) => [cart.id, cart]));
      return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
    },

    async create(shopper: Shopper) {
      const opened = await db.transaction((tx) => openCart(tx, shopper, shopper.currency));
      return { __typename: 'CartCreated', cart: ref(opened.id), cartToken: opened.cartToken } as const;
    },

    /**
     * Adds units of a variant at its current price (a line of the same variant keeps its price and gains
     * the units). Checked before anything is written: the quantity, the cart, the catalog's price in the
     * cart's currency, the stock. Without a cart, the shopper's cart is opened (a guest's with a new token).
     */
    async add(shopper: Shopper, input: { cartId?: string | null; cartToken?: string | null; variantId: string; quantity: number }) {
      if (!isValidLineQuantity(input.quantity)) return invalidQuantity(input.quantity);
      const variantId = input.variantId.toLowerCase();
      let cart: CartHeader | null = null;
      if (input.cartId != null) {
        cart = isUuid(input.cartId) ? await carts.header(db, input.cartId.toLowerCase()) : null;
        if (!canUseCart(cart, shopper.userId, input.cartToken)) return cartNotFound();
      } else if (shopper.userId !== null) {
        const [own] = await carts.openCartOfUsers([shopper.userId]);
        cart = own ? await carts.header(db, own.id) : null;
      }
      const currency = cart?.currency ?? shopper.currency;
      if (!isUuid(variantId)) return variantNotSold(currency);
      const lines = cart ? await carts.lines(db, cart.id) : [];
      const quantity = (lines.find((line) => line.variantId === variantId)?.quantity ?? 0) + input.quantity;
      if (quantity > MAX_LINE_QUANTITY) return invalidQuantity(quantity);
      const offer = await offerFor(variantId, currency);
      if (!offer?.price) return variantNotSold(currency);
      const shortfall = await stockShortfall(variantId, offer, quantity);
      if (shortfall) return shortfall;

      return db.transaction(async (tx) => {
        let opened: { id: string; cartToken: string | null };
        if (cart) {
          if (!(await lockUsableCart(carts, tx, shopper, { cartId: cart.id, cartToken: input.cartToken }))) return cartNotFound();
          opened = { id: cart.id, cartToken: null };
        } else {
          opened = await openCart(tx, shopper, currency);
          // A cart the user opened in another currency a moment ago, concurrently: the price was read for this one.
          if ((await carts.header(tx, opened.id))?.currency !== currency) throw serviceUnavailableError();
        }
        const current = await carts.lines(tx, opened.id);
        if (current.length >= MAX_CART_LINES && !current.some((line) => line.variantId === variantId)) {
          return validationFailed([{ field: 'variantId', code: 'OUT_OF_RANGE', message: `A cart holds at most ${MAX_CART_LINES} lines.` }]);
        }
        const lineId = await carts.addUnits(tx, opened.id, variantId, input.quantity, offer.price!, MAX_LINE_QUANTITY);
        if (lineId === null) return invalidQuantity(quantity);
        await carts.update(tx, opened.id);
        return { __typename: 'CartLineAdded', cart: ref(opened.id), lineId, cartToken: opened.cartToken } as const;
      });
    },

    /** Sets a line's quantity; more units than before are checked against the stock. */
    async updateLine(shopper: Shopper, input: CartKey & { lineId: string; quantity: number }) {
      if (!isValidLineQuantity(input.quantity)) return invalidQuantity(input.quantity);
      const cart = isUuid(input.cartId) ? await carts.header(db, input.cartId.toLowerCase()) : null;
      if (!canUseCart(cart, shopper.userId, input.cartToken)) return cartNotFound();
      const line = isUuid(input.lineId) ? (await carts.lines(db, cart!.id)).find((candidate) => candidate.id === input.lineId.toLowerCase()) : undefined;
      if (!line) return lineNotFound();
      if (input.quantity > line.quantity) {
        const offer = await offerFor(line.variantId, cart!.currency);
        if (!offer?.price) return variantNotSold(cart!.currency);
        const shortfall = await stockShortfall(line.variantId, offer, input.quantity);
        if (shortfall) return shortfall;
      }
      return db.transaction(async (tx) => {
        if (!(await lockUsableCart(carts, tx, shopper, input))) return cartNotFound();
        if (!(await carts.setQuantity(tx, cart!.id, line.id, input.quantity))) return lineNotFound();
        await carts.update(tx, cart!.id);
        return { __typename: 'CartUpdated', cart: ref(cart!.id) } as const;
      });
    },

    async removeLine(shopper: Shopper, input: CartKey & { lineId: string }) {
      return db.transaction(async (tx) => {
        const cart = await lockUsableCart(carts, tx, shopper, input);
        if (!cart) return cartNotFound();
        if (!isUuid(input.lineId) || !(await carts.deleteLine(tx, cart.id, input.lineId.toLowerCase()))) return lineNotFound();
        await carts.update(tx, cart.id);
        return { __typename: 'CartUpdated', cart: ref(cart.id) } as const;
      });
    },

    /** Takes the catalog's current price for every line whose price changed; lines the catalog no longer sells keep theirs. */
    async applyPriceChanges(shopper: Shopper, key: CartKey) {
      const cart = isUuid(key.cartId) ? await carts.header(db, key.cartId.toLowerCase()) : null;
      if (!canUseCart(cart, shopper.userId, key.cartToken)) return cartNotFound();
      const lines = await carts.lines(db, cart!.id);
      let offers: Map<string, VariantOffer>;
      try {
        offers = await deps.catalog(
          lines.map((line) => line.variantId),
          cart!.currency,
        );
      } catch (error) {
        deps.log.warn({ err: error }, 'the catalog could not be asked for prices; nothing was changed');
        throw serviceUnavailableError();
      }
      return db.transaction(async (tx) => {
        if (!(await lockUsableCart(carts, tx, shopper, key))) return cartNotFound();
        const changed = (await carts.lines(tx, cart!.id)).flatMap((line) => {
          const current = offers.get(line.variantId)?.price;
          return current && current.minorUnits !== line.unitPriceMinor ? [{ lineId: line.id, unitPrice: current }] : [];
        });
        await carts.setUnitPrices(tx, cart!.id, changed);
        await carts.update(tx, cart!.id);
        return { __typename: 'CartUpdated', cart: ref(cart!.id) } as const;
      });
    },
  };
}
