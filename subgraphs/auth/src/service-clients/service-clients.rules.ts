import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError, SERVICE_CLIENT_ID, SERVICE_ROLES, isServiceRole, serviceSubject } from '@meridian/platform';

/** A service that may obtain access tokens with its client credentials (`SERVICE_CLIENTS`). */
export interface ServiceClient {
  id: string;
  /** SHA-256 of the secret; the secret itself is never configured, stored or logged. */
  secretSha256: Buffer;
  roles: string[];
  /** The `sub` of its tokens: stable, and never an account's id (platform `serviceSubject`). */
  subject: string;
}

const KEYS = ['id', 'secretSha256', 'roles'];
const HEX_SHA256 = /^[0-9a-f]{64}$/i;
const EXAMPLE = '[{"id":"orders","secretSha256":"<hex SHA-256 of the secret>","roles":["checkout"]}]';

/**
 * `SERVICE_CLIENTS` (already parsed as JSON): an array of `{ id, secretSha256, roles }`. Anything
 * else stops the auth service at start, naming the entry: a malformed id or hash, an unknown key (a
 * secret in clear above all), a client listed twice, two clients sharing a secret, no roles, or a role
 * no service may hold (only SERVICE_ROLES; never `customer`, `admin` or `account_erasure`).
 */
export function parseServiceClients(parsed: unknown): ReadonlyMap<string, ServiceClient> {
  const clients = new Map<string, ServiceClient>();
  if (parsed === undefined) return clients;
  if (!Array.isArray(parsed)) throw new ConfigError(`SERVICE_CLIENTS must be a JSON array, e.g. ${EXAMPLE}`);
  const secrets = new Map<string, string>();
  parsed.forEach((entry: unknown, index) => {
    const at = `SERVICE_CLIENTS[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new ConfigError(`${at} must be an object, e.g. ${EXAMPLE}`);
    const unknown = Object.keys(entry).filter((key) => !KEYS.includes(key));
    if (unknown.length > 0) {
      throw new ConfigError(`${at} has unknown keys (${unknown.join(', ')}): only id, secretSha256 and roles; the secret itself is never configured, only its SHA-256`);
    }
    const { id, secretSha256, roles } = entry as Record<string, unknown>;
    if (typeof id !== 'string' || !SERVICE_CLIENT_ID.test(id)) throw new ConfigError(`${at}.id must match ${SERVICE_CLIENT_ID.source}`);
    if (clients.has(id)) throw new ConfigError(`SERVICE_CLIENTS lists the client "${id}" twice`);
    if (typeof secretSha256 !== 'string' || !HEX_SHA256.test(secretSha256)) {
      throw new ConfigError(`SERVICE_CLIENTS: the secretSha256 of "${id}" must be the SHA-256 of its secret, 64 hex digits`);
    }
    const digest = secretSha256.toLowerCase();
    const sharing = secrets.get(digest);
    if (sharing !== undefined) throw new ConfigError(`SERVICE_CLIENTS: "${sharing}" and "${id}" have the same secret; give each client its own`);
    secrets.set(digest, id);
    if (!Array.isArray(roles) || roles.length === 0 || !roles.every((role) => typeof role === 'string')) {
      throw new ConfigError(`SERVICE_CLIENTS: the roles of "${id}" must be a non-empty array of role names`);
    }
    const refused = roles.filter((role: string) => !isServiceRole(role));
    if (refused.length > 0) {
      throw new ConfigError(`SERVICE_CLIENTS: "${id}" cannot hold ${refused.map((role) => `"${role}"`).join(', ')}: a service may hold only ${SERVICE_ROLES.join(', ')}`);
    }
    clients.set(id, { id, secretSha256: Buffer.from(digest, 'hex'), roles: [...new Set(roles as string[])], subject: serviceSubject(id) });
  });
  return clients;
}

// Compared against when the client is unknown, so an unknown id costs what a wrong secret costs.
const NO_CLIENT_DIGEST = createHash('sha256').update('no such service client').digest();

/**
 * The client whose id and secret these are, or null. The secret's SHA-256 is compared in constant
 * time (whether or not the id is known); a plain hash suffices, as for refresh tokens, because the
 * secrets are long random strings, not passwords a person chose.
 */
export function authenticateClient(clients: ReadonlyMap<string, ServiceClient>, clientId: string, clientSecret: string): ServiceClient | null {
  const client = clients.get(clientId);
  const presented = createHash('sha256').update(clientSecret, 'utf8').digest();
  const matches = timingSafeEqual(presented, client?.secretSha256 ?? NO_CLIENT_DIGEST);
  return client && matches ? client : null;
}
