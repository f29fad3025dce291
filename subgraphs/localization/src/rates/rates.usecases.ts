import { allocate as allocateMoney, convert as convertMoney, isCurrencyCode, MoneyError, parseMoney, type Money } from '@meridian/money';
import type { ExchangeRateRow } from '@meridian/db/localization';
import { validationFailed, type FieldViolation } from '@meridian/platform';
import type { LocalizationDb } from '../db.js';
import { currencyNotEnabled, rateUnavailable } from '../localization.errors.js';
import type { ShopSettingsReader } from '../shop/shop.usecases.js';
import { parseEcbReferenceRates, RateFileError, type ReferenceRate } from './ecb.parser.js';
import type { RatesRepository } from './rates.repository.js';

/** A rate source and the currency it publishes against: the ECB quotes every rate per euro. */
export const ECB = { name: 'ECB', base: 'EUR' } as const;

export interface ImportReport {
  days: string[];
  /** Rates newly stored (published ones and their inverses); 0 when the file was imported before. */
  inserted: number;
  /** Currencies the file quotes that are no longer ISO 4217 currencies (e.g. HRK since 2023). */
  skipped: string[];
}

export type RateUseCases = ReturnType<typeof createRateUseCases>;

/** The most amounts `convertAll` takes at once. */
export const MAX_AMOUNTS = 500;

const today = () => new Date().toISOString().slice(0, 10);

export function createRateUseCases(deps: { db: LocalizationDb; rates: RatesRepository; shop: ShopSettingsReader }) {
  const { db, rates, shop } = deps;

  /**
   * The rate that converts `from` to `to`: the newest published (or inverse) rate, or a cross rate
   * through the source's base currency when that is newer; null when there is none.
   */
  async function find(from: string, to: string, onOrBefore = today()): Promise<ExchangeRateRow | null> {
    const direct = await rates.latest(from, to, onOrBefore);
    if (from === ECB.base || to === ECB.base) return direct;
    const cross = await rates.crossCandidate(from, to, ECB.base, onOrBefore);
    if (cross && (!direct || cross.asOf > direct.asOf)) return rates.storeCross(from, to, cross);
    return direct;
  }

  async function enabled(code: string): Promise<boolean> {
    return (await shop.settings()).currencies.includes(code);
  }

  /** Imports an ECB reference rate file (daily, 90-day or historical): idempotent, in one transaction. */
  async function importEcb(xml: string): Promise<ImportReport> {
    const parsed = parseEcbReferenceRates(xml);
    const known: ReferenceRate[] = parsed.filter((rate) => isCurrencyCode(rate.quote));
    const skipped = [...new Set(parsed.filter((rate) => !isCurrencyCode(rate.quote)).map((rate) => rate.quote))].sort();
    const inserted = await db.transaction((tx) => rates.importPublished(tx, known, ECB.name));
    return { days: [...new Set(parsed.map((rate) => rate.asOf))].sort(), inserted, skipped };
  }

  return {
    find,

    async exchangeRate(from: string, to: string) {
      if (from === to) return validationFailed([{ field: 'to', code: 'INVALID_FORMAT', message: 'Choose two different currencies' }]);
      for (const code of [from, to]) if (!(await enabled(code))) return currencyNotEnabled(code);
      const rate = await find(from, to);
      return rate ? { __typename: 'ExchangeRate' as const, ...rate } : rateUnavailable(from, to);
    },

    /** Converts a decimal amount between two enabled currencies, naming the rate it used. */
    async convert(amount: string, from: string, to: string) {
      for (const code of [from, to]) if (!(await enabled(code))) return currencyNotEnabled(code);
      let original: Money;
      try {
        original = parseMoney(amount, from);
      } catch (error) {
        if (error instanceof MoneyError) return validationFailed([{ field: 'amount', code: 'INVALID_FORMAT', message: error.message }]);
        throw error;
      }
      if (from === to) return { __typename: 'Conversion' as const, original, converted: original, rate: null };
      const rate = await find(from, to);
      if (!rate) return rateUnavailable(from, to);
      return { __typename: 'Conversion' as const, original, converted: convertMoney(original, rate.rate, to), rate };
    },

    /** Converts many amounts at one rate, each rounded on its own (up to `MAX_AMOUNTS`). */
    async convertAll(amounts: readonly string[], from: string, to: string) {
      if (amounts.length > MAX_AMOUNTS) return validationFailed([{ field: 'amounts', code: 'TOO_LONG', message: `At most ${MAX_AMOUNTS} amounts at a time` }]);
      for (const code of [from, to]) if (!(await enabled(code))) return currencyNotEnabled(code);
      const originals: Money[] = [];
      const violations: FieldViolation[] = [];
      amounts.forEach((amount, index) => {
        try {
          originals.push(parseMoney(amount, from));
        } catch (error) {
          if (!(error instanceof MoneyError)) throw error;
          violations.push({ field: `amounts.${index}`, code: 'INVALID_FORMAT', message: error.message });
        }
      });
      if (violations.length > 0) return validationFailed(violations);
      const rate = from === to ? null : await find(from, to);
      if (from !== to && !rate) return rateUnavailable(from, to);
      const items = originals.map((original) => ({ original, converted: rate ? convertMoney(original, rate.rate, to) : original, rate }));
      return { __typename: 'Conversions' as const, items, rate };
    },

    /** Splits an amount by ratios to the minor unit (no rate involved; any currency with minor units). */
    allocate(amount: string, currency: string, ratios: readonly number[]) {
      if (ratios.length === 0 || ratios.length > 1000 || ratios.some((ratio) => ratio < 0) || ratios.every((ratio) => ratio === 0)) {
        return validationFailed([{ field: 'ratios', code: 'INVALID_FORMAT', message: 'Give 1 to 1000 non-negative whole numbers, at least one of them positive' }]);
      }
      try {
        return { __typename: 'Allocation' as const, parts: allocateMoney(parseMoney(amount, currency), ratios) };
      } catch (error) {
        if (error instanceof MoneyError) return validationFailed([{ field: 'amount', code: 'INVALID_FORMAT', message: error.message }]);
        throw error;
      }
    },

    importEcb,

    /** `importEcb` for the admin mutation: a file that is not an ECB rate file is a typed answer. */
    async importEcbDocument(xml: string) {
      try {
        return { __typename: 'ExchangeRatesImported' as const, ...(await importEcb(xml)) };
      } catch (error) {
        if (error instanceof RateFileError) return { __typename: 'InvalidRateFile' as const, code: 'VALIDATION_FAILED' as const, message: error.message };
        throw error;
      }
    },
  };
}
