import type { Money } from '@meridian/money';
import { MAX_LINE_QUANTITY } from '../carts/cart-lines.rules.js';

/**
 * How a guest cart merges into a signed-in user's cart (README "Cart", the merge policy):
 * - a variant in both carts: the quantities add, capped by the units in stock and at 99 a line, and the
 *   merge never lowers the quantity the user's own line had;
 * - a variant only in the guest cart: it moves over with the guest's quantity, capped the same way, at
 *   its current price in the user cart's currency;
 * - a variant that is out of stock: the guest's units are left out;
 * - a variant the catalog no longer sells in the user cart's currency: the guest's line is dropped.
 * Where the exact units in stock are unknown, only "in stock or not" caps.
 */

export type MergeOutcome = 'CAPPED_BY_STOCK' | 'CAPPED_AT_MAXIMUM' | 'DROPPED_OUT_OF_STOCK' | 'DROPPED_NOT_SOLD';

/** What the catalog and the inventory say about a variant now. */
export interface VariantOffer {
  /** The current price in the cart's currency; null when the catalog does not sell the variant in it. */
  price: Money | null;
  inStock: boolean;
}

export interface MergeInput {
  userLines: readonly { id: string; variantId: string; quantity: number }[];
  guestLines: readonly { variantId: string; quantity: number }[];
  /** Per variant of the guest lines; a variant missing here is not sold. */
  offers: ReadonlyMap<string, VariantOffer>;
  /** Exact units available per variant, when the inventory could be asked; null otherwise. */
  available: ReadonlyMap<string, number> | null;
}

export interface MergeAdjustment {
  variantId: string;
  guestQuantity: number;
  /** The line's quantity in the user's cart after the merge (0 when it has none). */
  quantity: number;
  outcome: MergeOutcome;
}

export interface MergePlan {
  /** New quantities of lines the user's cart has. */
  updates: { lineId: string; quantity: number }[];
  /** Lines the user's cart gets. */
  inserts: { variantId: string; quantity: number; unitPrice: Money }[];
  /** Every guest line that did not move over unchanged. */
  adjustments: MergeAdjustment[];
}

export function planMerge(input: MergeInput): MergePlan {
  const plan: MergePlan = { updates: [], inserts: [], adjustments: [] };
  const userLines = new Map(input.userLines.map((line) => [line.variantId, line]));
  for (const guest of input.guestLines) {
    const own = userLines.get(guest.variantId);
    const ownQuantity = own?.quantity ?? 0;
    const offer = input.offers.get(guest.variantId);
    if (!offer?.price) {
      plan.adjustments.push({ variantId: guest.variantId, guestQuantity: guest.quantity, quantity: ownQuantity, outcome: 'DROPPED_NOT_SOLD' });
      continue;
    }
    const inStock = offer.inStock ? (input.available?.get(guest.variantId) ?? Number.POSITIVE_INFINITY) : 0;
    if (inStock <= 0) {
      plan.adjustments.push({ variantId: guest.variantId, guestQuantity: guest.quantity, quantity: ownQuantity, outcome: 'DROPPED_OUT_OF_STOCK' });
      continue;
    }
    const wanted = ownQuantity + guest.quantity;
    const cap = Math.min(MAX_LINE_QUANTITY, inStock);
    const quantity = Math.max(ownQuantity, Math.min(wanted, cap));
    if (quantity < wanted) {
      plan.adjustments.push({ variantId: guest.variantId, guestQuantity: guest.quantity, quantity, outcome: inStock < MAX_LINE_QUANTITY ? 'CAPPED_BY_STOCK' : 'CAPPED_AT_MAXIMUM' });
    }
    if (own) {
      if (quantity !== own.quantity) plan.updates.push({ lineId: own.id, quantity });
    } else if (quantity > 0) {
      plan.inserts.push({ variantId: guest.variantId, quantity, unitPrice: offer.price });
    }
  }
  return plan;
}
