import type { ClientInfo } from '@meridian/platform';
import type { AuditTrail } from '../audit/audit.repository.js';
import type { AuthDb } from '../db.js';
import type { Lockout } from '../protection/lockout.js';
import type { Account } from './accounts.model.js';
import type { Credentials } from './accounts.repository.js';
import type { PasswordHasher } from './password-hasher.js';

export type CredentialVerdict = { ok: true; account: Account; passwordHash: string } | { ok: false };

export type CredentialCheck = ReturnType<typeof createCredentialCheck>;

/**
 * Checks a password against an account, or against nothing: an unknown identifier, a locked one and
 * a wrong password all fail the same way after the same argon2 work (a dummy verification), so
 * neither the answer nor its timing tells them apart. Every attempt counts toward the identifier's
 * lockout before the hash is checked; a success gives it back.
 */
export function createCredentialCheck(deps: { db: AuthDb; hasher: PasswordHasher; lockout: Lockout; audit: AuditTrail }) {
  const { hasher, lockout, audit } = deps;

  return async function check(input: {
    /** Pseudonymized normalized e-mail: the lockout key. */
    identifier: string;
    found: Credentials | null;
    password: string;
    client: ClientInfo;
  }): Promise<CredentialVerdict> {
    const { identifier, found, password, client } = input;
    const attempt = await lockout.begin(identifier);
    const matches = found && attempt.allowed ? await hasher.verify(found.passwordHash, password) : (await hasher.verifyAgainstDummy(password), false);
    if (found && matches) {
      await lockout.succeed(identifier);
      return { ok: true, account: found.account, passwordHash: found.passwordHash };
    }
    const lockedNow = attempt.allowed ? await lockout.fail(identifier, attempt) : false;
    const reason = !attempt.allowed ? 'locked' : found ? 'wrong_password' : 'unknown_identifier';
    await audit.record(deps.db, client, { kind: 'sign_in_failed', userId: found?.account.id ?? null, details: { reason, identifier } });
    if (lockedNow) await audit.record(deps.db, client, { kind: 'lockout', userId: found?.account.id ?? null, details: { identifier } });
    return { ok: false };
  };
}
