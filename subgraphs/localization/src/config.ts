import { readInt, readUrl } from '@meridian/platform';

type Env = Record<string, string | undefined>;

export interface LocalizationConfig {
  port: number;
  /** An ECB reference rate file to import on a schedule (off when unset). */
  fxRatesUrl: string | null;
  /** How often `fxRatesUrl` is fetched. */
  fxRatesIntervalMinutes: number;
}

export function readLocalizationConfig(env: Env = process.env): LocalizationConfig {
  return {
    port: readInt(env, 'LOCALIZATION_PORT', 4003, { min: 0, max: 65535 }),
    fxRatesUrl: env.FX_RATES_URL ? readUrl(env, 'FX_RATES_URL') : null,
    fxRatesIntervalMinutes: readInt(env, 'FX_RATES_INTERVAL_MINUTES', 60, { min: 1, max: 24 * 60 }),
  };
}
