import { rateLimited, type ClientInfo, type Viewer } from '@meridian/platform';
import type { AuditTrail } from '../audit/audit.repository.js';
import type { AuthDb } from '../db.js';
import type { Lockout } from '../protection/lockout.js';
import type { Account } from './accounts.model.js';
import type { AccountsRepository, Credentials } from './accounts.repository.js';
import { hashingBusy, invalidCredentials } from './accounts.errors.js';
import { QueueFull } from './concurrency-limiter.js';
import { identifierOf } from './identifiers.js';
import { normalizePassword } from './password.policy.js';
import type { RateLimits } from '../protection/rate-limits.js';
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
    /**
     * False when a second factor must follow: the attempt stays counted (and the lockout history kept)
     * until that factor succeeds too, so the password cannot reset the count of guessed codes.
     */
    settle?: boolean;
  }): Promise<CredentialVerdict> {
    const { identifier, found, password, client } = input;
    const attempt = await lockout.begin(identifier);
    const matches = found && attempt.allowed ? await hasher.verify(found.passwordHash, password) : (await hasher.verifyAgainstDummy(password), false);
    if (found && matches) {
      if (input.settle !== false) await lockout.succeed(identifier);
      return { ok: true, account: found.account, passwordHash: found.passwordHash };
    }
    const lockedNow = attempt.allowed ? await lockout.fail(identifier, attempt) : false;
    const reason = !attempt.allowed ? 'locked' : found ? 'wrong_password' : 'unknown_identifier';
    await audit.record(deps.db, client, { kind: 'sign_in_failed', userId: found?.account.id ?? null, details: { reason, identifier } });
    if (lockedNow) await audit.record(deps.db, client, { kind: 'lockout', userId: found?.account.id ?? null, details: { identifier } });
    return { ok: false };
  };
}

export type Reauthentication = ReturnType<typeof createReauthentication>;

/**
 * A signed-in user proves their password again (to change it, or their e-mail address): counted
 * like a sign-in by the same rate limit and lockout, so a stolen session cannot guess it.
 */
export function createReauthentication(deps: { accounts: AccountsRepository; rateLimits: RateLimits; checkCredentials: CredentialCheck; identifierKey: Buffer }) {
  return async function reauthenticate(
    viewer: Viewer,
    rawPassword: string,
    client: ClientInfo,
  ): Promise<{ ok: true; credentials: Credentials } | ReturnType<typeof invalidCredentials | typeof rateLimited | typeof hashingBusy>> {
    const found = await deps.accounts.findCredentialsById(viewer.userId);
    if (!found) return invalidCredentials();
    const identifier = identifierOf(deps.identifierKey, found.account.email);
    const rate = await deps.rateLimits.consume('login', { ip: client.ip, identifier });
    if (!rate.ok) return rateLimited(rate.retryAfterSeconds);
    const password = normalizePassword(rawPassword);
    try {
      const verdict = password.ok ? await deps.checkCredentials({ identifier, found, password: password.password, client }) : { ok: false as const };
      return verdict.ok ? { ok: true, credentials: found } : invalidCredentials();
    } catch (error) {
      if (error instanceof QueueFull) return hashingBusy();
      throw error;
    }
  };
}
