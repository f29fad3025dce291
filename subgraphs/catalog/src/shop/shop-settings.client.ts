import { serviceUnavailableError, type Logger } from '@meridian/platform';
import type { PersistedQueryManifest } from '@meridian/schema';

/** What the catalog needs of the shop's settings, which the localization service owns. */
export interface ShopSettings {
  defaultLocale: string;
  currencies: string[];
}

export interface ShopSettingsLookup {
  /**
   * The shop's default locale, the last step of every fallback chain, as last read: `en` until the first
   * read has answered. A read older than `SHOP_SETTINGS_TTL_MS` is renewed in the background, so a
   * request never waits for it.
   */
  defaultLocale(): string;
  /**
   * The currencies the shop sells in, read now: a price write must see a currency an admin enabled a
   * moment ago, and such writes are rare. Throws SERVICE_UNAVAILABLE when the shop cannot be read.
   */
  currencies(): Promise<string[]>;
}

/** How long a read of the shop's default locale is used; the router reads the settings as often (`SHOP_SETTINGS_REFRESH_MS`). */
export const SHOP_SETTINGS_TTL_MS = 5_000;

/** The default locale before the shop has been read (the shop's own default, `db/migrations/0004_localization.sql`). */
export const FALLBACK_DEFAULT_LOCALE = 'en';

/**
 * The shop's settings, asked of the localization service through the router (the service operation
 * `CatalogShop` of the persisted query list, sent exactly as listed), as every cross-service read in
 * Meridian goes through the graph. The settings are data an admin changes (`setDefaultLocale`,
 * `enableCurrency`), so a setting of the catalog's own could only contradict them.
 */
export function createShopSettingsLookup(options: { routerUrl: () => string; manifest: PersistedQueryManifest; log: Logger; timeoutMs?: number }): ShopSettingsLookup {
  const query = options.manifest.operations.find((operation) => operation.name === 'CatalogShop')?.body;
  if (query === undefined) throw new Error('CatalogShop is not in the persisted query list');
  let last: { at: number; settings: ShopSettings } | null = null;
  let refreshing: Promise<void> | null = null;
  let failedAt = -Infinity;

  async function read(): Promise<ShopSettings> {
    const response = await fetch(options.routerUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, operationName: 'CatalogShop' }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 2_000),
    });
    const result = (await response.json()) as { data?: { shop?: Partial<ShopSettings> | null } | null };
    const shop = result.data?.shop;
    if (typeof shop?.defaultLocale !== 'string' || !Array.isArray(shop.currencies)) throw new Error(`the shop's settings could not be read (HTTP ${response.status})`);
    const settings = { defaultLocale: shop.defaultLocale, currencies: shop.currencies };
    last = { at: Date.now(), settings };
    return settings;
  }

  return {
    defaultLocale() {
      const now = Date.now();
      // After a failed read, the next one waits a whole TTL too, so an unreachable router is not asked on every request.
      if (!refreshing && (last === null || now - last.at > SHOP_SETTINGS_TTL_MS) && now - failedAt > SHOP_SETTINGS_TTL_MS) {
        refreshing = read().then(
          () => undefined,
          (error: unknown) => {
            failedAt = Date.now();
            options.log.warn({ err: error }, `the shop's settings could not be read; fallback chains end in ${last?.settings.defaultLocale ?? FALLBACK_DEFAULT_LOCALE}`);
          },
        );
        void refreshing.finally(() => (refreshing = null));
      }
      return last?.settings.defaultLocale ?? FALLBACK_DEFAULT_LOCALE;
    },

    async currencies() {
      try {
        return (await read()).currencies;
      } catch (error) {
        options.log.warn({ err: error }, "the shop's currencies could not be read; the price is not written");
        throw serviceUnavailableError();
      }
    },
  };
}
