import { hkdfSync } from 'node:crypto';
import path from 'node:path';
import { readOptionalString, resolveSecret, type CommonConfig } from '@meridian/platform';

/** Keys derived from the one AUTH_SECRET, each for a single purpose (RFC 5869 HKDF-SHA256). */
export interface AuthSecrets {
  /** Keyed hashes of e-mail link tokens. */
  emailTokenKey: Buffer;
  /** Derives a refresh token's successor from it, so a retry inside the grace window gets the same one. */
  refreshSuccessorKey: Buffer;
  /** Encrypts outbox payloads, which hold live links until they are sent. */
  outboxKey: Buffer;
  /** Pseudonymizes e-mail addresses in rate-limit keys and audit events. */
  identifierKey: Buffer;
  /** Encrypts TOTP secrets at rest. */
  totpKey: Buffer;
  /** Keyed hashes of recovery codes. */
  recoveryCodeKey: Buffer;
}

function derive(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `meridian auth ${purpose}`, 32));
}

export function deriveSecrets(master: Buffer): AuthSecrets {
  return {
    emailTokenKey: derive(master, 'email tokens'),
    refreshSuccessorKey: derive(master, 'refresh successors'),
    outboxKey: derive(master, 'outbox'),
    identifierKey: derive(master, 'identifiers'),
    totpKey: derive(master, 'totp secrets'),
    recoveryCodeKey: derive(master, 'recovery codes'),
  };
}

/** AUTH_SECRET, or outside production a secret generated once and kept in the data directory. */
export function resolveAuthSecret(common: CommonConfig, env: Record<string, string | undefined> = process.env): Promise<Buffer> {
  return resolveSecret({
    configured: readOptionalString(env, 'AUTH_SECRET'),
    variable: 'AUTH_SECRET',
    production: common.production,
    devFile: path.join(common.dataDir, 'keys', 'auth-secret'),
  });
}
