import { describe, expect, it } from 'vitest';
import { money } from '@meridian/money';
import { planMerge, type MergeInput, type VariantOffer } from './merge.rules.js';

const price = money(1999n, 'EUR');
const sold: VariantOffer = { price, inStock: true };
const merge = (input: Partial<MergeInput> & Pick<MergeInput, 'guestLines'>) => planMerge({ userLines: [], offers: new Map(), available: null, ...input });

describe('merging a guest cart into a user cart', () => {
  it('adds the quantities of a variant in both carts', () => {
    const plan = merge({ userLines: [{ id: 'line-a', variantId: 'a', quantity: 2 }], guestLines: [{ variantId: 'a', quantity: 3 }], offers: new Map([['a', sold]]) });
    expect(plan).toEqual({ updates: [{ lineId: 'line-a', quantity: 5 }], inserts: [], adjustments: [] });
  });

  it('moves a variant only the guest has, at its current price', () => {
    const plan = merge({ guestLines: [{ variantId: 'b', quantity: 4 }], offers: new Map([['b', sold]]) });
    expect(plan).toEqual({ updates: [], inserts: [{ variantId: 'b', quantity: 4, unitPrice: price }], adjustments: [] });
  });

  it('caps the sum at the units in stock', () => {
    const plan = merge({
      userLines: [{ id: 'line-a', variantId: 'a', quantity: 2 }],
      guestLines: [
        { variantId: 'a', quantity: 3 },
        { variantId: 'b', quantity: 6 },
      ],
      offers: new Map([
        ['a', sold],
        ['b', sold],
      ]),
      available: new Map([
        ['a', 4],
        ['b', 5],
      ]),
    });
    expect(plan.updates).toEqual([{ lineId: 'line-a', quantity: 4 }]);
    expect(plan.inserts).toEqual([{ variantId: 'b', quantity: 5, unitPrice: price }]);
    expect(plan.adjustments).toEqual([
      { variantId: 'a', guestQuantity: 3, quantity: 4, outcome: 'CAPPED_BY_STOCK' },
      { variantId: 'b', guestQuantity: 6, quantity: 5, outcome: 'CAPPED_BY_STOCK' },
    ]);
  });

  it('never takes units from the user’s own line, even when the stock has fallen below it', () => {
    const plan = merge({ userLines: [{ id: 'line-a', variantId: 'a', quantity: 6 }], guestLines: [{ variantId: 'a', quantity: 1 }], offers: new Map([['a', sold]]), available: new Map([['a', 3]]) });
    expect(plan).toEqual({ updates: [], inserts: [], adjustments: [{ variantId: 'a', guestQuantity: 1, quantity: 6, outcome: 'CAPPED_BY_STOCK' }] });
  });

  it('caps the sum at 99 a line', () => {
    const plan = merge({ userLines: [{ id: 'line-a', variantId: 'a', quantity: 60 }], guestLines: [{ variantId: 'a', quantity: 50 }], offers: new Map([['a', sold]]), available: new Map([['a', 1000]]) });
    expect(plan).toEqual({ updates: [{ lineId: 'line-a', quantity: 99 }], inserts: [], adjustments: [{ variantId: 'a', guestQuantity: 50, quantity: 99, outcome: 'CAPPED_AT_MAXIMUM' }] });
  });

  it('caps at 99 when only "in stock" is known', () => {
    const plan = merge({ userLines: [{ id: 'line-a', variantId: 'a', quantity: 90 }], guestLines: [{ variantId: 'a', quantity: 20 }], offers: new Map([['a', sold]]) });
    expect(plan.adjustments).toEqual([{ variantId: 'a', guestQuantity: 20, quantity: 99, outcome: 'CAPPED_AT_MAXIMUM' }]);
  });

  it('leaves out the guest’s units of a variant out of stock', () => {
    const plan = merge({
      userLines: [{ id: 'line-a', variantId: 'a', quantity: 1 }],
      guestLines: [
        { variantId: 'a', quantity: 2 },
        { variantId: 'b', quantity: 2 },
      ],
      offers: new Map([
        ['a', { price, inStock: false }],
        ['b', sold],
      ]),
      available: new Map([['b', 0]]),
    });
    expect(plan).toEqual({
      updates: [],
      inserts: [],
      adjustments: [
        { variantId: 'a', guestQuantity: 2, quantity: 1, outcome: 'DROPPED_OUT_OF_STOCK' },
        { variantId: 'b', guestQuantity: 2, quantity: 0, outcome: 'DROPPED_OUT_OF_STOCK' },
      ],
    });
  });

  it('drops lines of variants no longer sold in the cart’s currency', () => {
    const plan = merge({
      guestLines: [
        { variantId: 'gone', quantity: 1 },
        { variantId: 'no-price', quantity: 2 },
      ],
      offers: new Map([['no-price', { price: null, inStock: true }]]),
    });
    expect(plan).toEqual({
      updates: [],
      inserts: [],
      adjustments: [
        { variantId: 'gone', guestQuantity: 1, quantity: 0, outcome: 'DROPPED_NOT_SOLD' },
        { variantId: 'no-price', guestQuantity: 2, quantity: 0, outcome: 'DROPPED_NOT_SOLD' },
      ],
    });
  });
});
