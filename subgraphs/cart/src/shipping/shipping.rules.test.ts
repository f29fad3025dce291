import { describe, expect, it } from 'vitest';
import { toDecimal } from '@meridian/money';
import { availableMethods, shippingRefusal } from './shipping.rules.js';

const standard = { code: 'standard', names: { en: 'Standard' }, countries: ['DE', 'GB', 'US'], rates: { EUR: 495n, GBP: 395n } };
const express = { code: 'express', names: { en: 'Express' }, countries: ['DE'], rates: { EUR: 1295n } };

describe('shipping methods', () => {
  it('offers the methods that deliver to the country and have a price in the currency', () => {
    expect(availableMethods([standard, express], 'EUR', 'DE').map((method) => [method.code, toDecimal(method.price)])).toEqual([
      ['standard', '4.95'],
      ['express', '12.95'],
    ]);
    expect(availableMethods([standard, express], 'GBP', 'DE').map((method) => method.code)).toEqual(['standard']);
    expect(availableMethods([standard, express], 'EUR', 'GB').map((method) => method.code)).toEqual(['standard']);
    expect(availableMethods([standard, express], 'USD', 'US')).toEqual([]);
    expect(availableMethods([standard, express], 'EUR', null).map((method) => method.code)).toEqual(['standard', 'express']);
  });

  it('refuses a method without an address, outside its countries, or without a price in the currency', () => {
    expect(shippingRefusal(express, 'EUR', 'DE')).toBeNull();
    expect(shippingRefusal(express, 'EUR', null)).toMatch(/shipping address first/);
    expect(shippingRefusal(express, 'EUR', 'GB')).toMatch(/does not deliver to GB/);
    expect(shippingRefusal(express, 'GBP', 'DE')).toMatch(/no price in GBP/);
  });
});
