import { isCurrencyCode } from '@meridian/money';
import { canonicalLocale, validationFailed, type ShopSettings } from '@meridian/platform';
import type { LocalizationDb } from '../db.js';
import { defaultCannotBeDisabled } from '../localization.errors.js';
import type { ShopRepository } from './shop.repository.js';

export interface ShopSettingsReader {
  /** The enabled locales and currencies and the defaults, at most `SETTINGS_TTL_MS` old. */
  settings(): Promise<ShopSettings>;
}

/** Settings are read on most requests and change rarely; a replica sees another's change within this. */
export const SETTINGS_TTL_MS = 1_000;

export type ShopUseCases = ReturnType<typeof createShopUseCases>;

/** Whether this runtime can format and collate in `locale` (full ICU data): the shop offers no language it cannot write. */
function isSupportedLocale(locale: string): boolean {
  return Intl.NumberFormat.supportedLocalesOf([locale]).length > 0 && Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;
}

export function createShopUseCases(deps: { db: LocalizationDb; shop: ShopRepository }) {
  const { db, shop } = deps;
  let cached: { at: number; value: Promise<ShopSettings> } | null = null;

  async function load(): Promise<ShopSettings> {
    const rows = await shop.read();
    const enabled = (list: ShopRowsList) => list.filter((row) => row.enabled).map((row) => row.code.trim());
    const fallback = (list: ShopRowsList, code: string) => list.find((row) => row.isDefault)?.code.trim() ?? code;
    return {
      defaultLocale: fallback(rows.locales, 'en'),
      defaultCurrency: fallback(rows.currencies, 'EUR'),
      locales: enabled(rows.locales),
      currencies: enabled(rows.currencies),
    };
  }

  const settings = (): Promise<ShopSettings> => {
    if (!cached || Date.now() - cached.at > SETTINGS_TTL_MS) {
      const value = load();
      cached = { at: Date.now(), value };
      value.catch(() => (cached = null));
    }
    return cached.value;
  };
  const changed = () => (cached = null);

  const localeOrInvalid = (code: string) => {
    const canonical = canonicalLocale(code);
    if (!canonical || !isSupportedLocale(canonical)) {
      return { ok: false as const, result: validationFailed([{ field: 'code', code: 'INVALID_LOCALE', message: 'Not a BCP 47 language tag this service can format in' }]) };
    }
    return { ok: true as const, code: canonical };
  };

  return {
    settings,

    async setLocale(code: string, change: 'enable' | 'disable' | 'default') {
      const checked = localeOrInvalid(code);
      if (!checked.ok) return checked.result;
      return write('locale', checked.code, change);
    },

    async setCurrency(code: string, change: 'enable' | 'disable' | 'default') {
      if (!isCurrencyCode(code)) {
        return validationFailed([{ field: 'code', code: 'INVALID_FORMAT', message: 'Not an ISO 4217 currency with minor units' }]);
      }
      return write('currency', code, change);
    },
  };

  async function write(what: 'locale' | 'currency', code: string, change: 'enable' | 'disable' | 'default') {
    const settingsOfKind = what === 'locale' ? shop.locales : shop.currencies;
    const outcome = await db.transaction(async (tx) => {
      await shop.lock(tx);
      if (change === 'disable') return settingsOfKind.disable(tx, code);
      await settingsOfKind.enable(tx, code, change === 'default');
      return 'done' as const;
    });
    changed();
    if (outcome === 'is-default') return defaultCannotBeDisabled(what, code);
    return { __typename: 'ShopUpdated' as const, shop: await settings() };
  }
}

type ShopRowsList = Awaited<ReturnType<ShopRepository['read']>>['locales'];
