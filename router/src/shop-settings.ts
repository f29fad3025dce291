import { ROUTER_TOKEN_HEADER, type Logger, type RouterTokenSigner, type ShopSettings } from '@meridian/platform';

/** What the router answers in until the localization service has been read once: the shipped defaults. */
export const INITIAL_SHOP_SETTINGS: ShopSettings = { defaultLocale: 'en', defaultCurrency: 'EUR', locales: ['en'], currencies: ['EUR'] };

export interface ShopSettingsSource {
  /** The shop's enabled locales and currencies, at most `refreshMs` (plus a round trip) old. */
  current(): ShopSettings;
  start(): Promise<void>;
  stop(): void;
}

/**
 * The shop's settings, polled from the localization service (`SHOP_SETTINGS_PATH`) every
 * `refreshMs`. Every request's locale and currency are resolved against them without a call of its
 * own; if the service cannot be reached, the last settings read stay in force.
 */
export function createShopSettingsSource(options: { url: () => string | null; signRouterToken: RouterTokenSigner; refreshMs: number; log: Logger }): ShopSettingsSource {
  let settings = INITIAL_SHOP_SETTINGS;
  let timer: NodeJS.Timeout | undefined;
  let failing = false;

  async function refresh(): Promise<void> {
    const url = options.url();
    if (!url) return;
    try {
      const routerToken = options.signRouterToken({ subgraph: 'localization', caller: undefined, client: { ip: null, userAgent: null } });
      const response = await fetch(url, { headers: { [ROUTER_TOKEN_HEADER]: routerToken }, signal: AbortSignal.timeout(2_000) });
      if (!response.ok) throw new Error(`the shop settings endpoint answered ${response.status}`);
      settings = (await response.json()) as ShopSettings;
      if (failing) options.log.info('shop settings reachable again');
      failing = false;
    } catch (error) {
      if (!failing) options.log.warn({ err: error }, 'shop settings could not be read; keeping the last ones');
      failing = true;
    }
  }

  return {
    current: () => settings,
    async start() {
      await refresh();
      timer = setInterval(() => void refresh(), options.refreshMs);
      timer.unref();
    },
    stop: () => clearInterval(timer),
  };
}
