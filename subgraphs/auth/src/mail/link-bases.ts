import { ConfigError, type FieldViolation } from '@meridian/platform';

/**
 * Where the links in e-mails open: named bases (`EMAIL_LINK_BASES`), e.g. the web shop and the
 * domain of an app's universal links / app links. A request picks one by name; a URL is never taken
 * from a request, so a link cannot be pointed at someone else's site.
 */
export interface EmailLinkBases {
  /** The base of requests that name none: the first configured. */
  defaultName: string;
  /** Name to base URL, without a trailing slash. */
  urls: ReadonlyMap<string, string>;
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

/**
 * `EMAIL_LINK_BASES`: a JSON object of name to base URL, e.g. `{"web":"https://shop.example",
 * "ios":"https://app.shop.example/open"}`; without it, `{"web": PUBLIC_BASE_URL}`. Each base is an
 * absolute URL without credentials, query or fragment; the configured ones are https in production
 * (PUBLIC_BASE_URL keeps the rules it had before, so an existing deployment still starts).
 */
export function parseEmailLinkBases(json: string | undefined, publicBaseUrl: string, production: boolean): EmailLinkBases {
  let entries: [string, unknown][];
  if (json === undefined) {
    entries = [['web', publicBaseUrl]];
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new ConfigError('EMAIL_LINK_BASES must be a JSON object of name to base URL, e.g. {"web":"https://shop.example"}');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError('EMAIL_LINK_BASES must be a JSON object of name to base URL, e.g. {"web":"https://shop.example"}');
    }
    entries = Object.entries(parsed);
    if (entries.length === 0) throw new ConfigError('EMAIL_LINK_BASES must name at least one base');
  }
  const variable = json === undefined ? 'PUBLIC_BASE_URL' : 'EMAIL_LINK_BASES';
  const urls = new Map<string, string>();
  for (const [name, value] of entries) {
    if (!NAME.test(name)) throw new ConfigError(`${variable}: "${name}" is not a valid name (a letter, then up to 31 letters, digits, "_" or "-")`);
    urls.set(name, readBase(variable, name, value, production && json !== undefined));
  }
  return { defaultName: entries[0]![0], urls };
}

function readBase(variable: string, name: string, value: unknown, httpsOnly: boolean): string {
  let url: URL;
  try {
    url = new URL(typeof value === 'string' ? value : '');
  } catch {
    throw new ConfigError(`${variable}: the base "${name}" must be an absolute URL`);
  }
  const allowed = httpsOnly ? ['https:'] : ['https:', 'http:'];
  if (!allowed.includes(url.protocol)) throw new ConfigError(`${variable}: the base "${name}" must be an ${httpsOnly ? 'https' : 'http(s)'} URL`);
  if (url.username || url.password) throw new ConfigError(`${variable}: the base "${name}" must not carry credentials`);
  if (url.search || url.hash || String(value).includes('?') || String(value).includes('#')) {
    throw new ConfigError(`${variable}: the base "${name}" must have no query or fragment (the link adds its own path and token)`);
  }
  return url.toString().replace(/\/+$/, '');
}

/**
 * The link base a request names (`linkBase`), or the default when it names none. Anything but a
 * configured name (a URL included) is a field violation; the message lists the names, never the input.
 */
export function readLinkBase(violations: FieldViolation[], raw: string | null | undefined, bases: EmailLinkBases): string | null {
  if (raw === null || raw === undefined) return bases.defaultName;
  if (bases.urls.has(raw)) return raw;
  violations.push({ field: 'linkBase', code: 'UNKNOWN_LINK_BASE', message: `linkBase must be one of the configured names: ${[...bases.urls.keys()].join(', ')}.` });
  return null;
}

/** The URL of a base chosen earlier; a name no longer configured falls back to the default. */
export function linkBaseUrl(bases: EmailLinkBases, name: string | undefined): string {
  return bases.urls.get(name ?? bases.defaultName) ?? bases.urls.get(bases.defaultName)!;
}
