import { DISPLAY_NAME_MAX_LENGTH, readLocale, readText, validationFailed, type ClientInfo, type FieldViolation } from '@meridian/platform';
import type { AuthDb } from '../db.js';
import type { IssuedSession } from '../sessions/sessions.model.js';
import type { SessionUseCases } from '../sessions/sessions.usecases.js';
import type { ProfileSeed, ProfileSeeder } from '../profile-seed/profile-seed.client.js';
import { busy, emailTaken, invalidCredentials, invalidEmail, passwordTooWeak } from './accounts.errors.js';
import type { AccountsRepository } from './accounts.repository.js';
import { QueueFull } from './concurrency-limiter.js';
import { normalizeEmail } from './email.rules.js';
import type { PasswordHasher } from './password-hasher.js';
import { checkPassword } from './password.policy.js';

export interface RegisterInput {
  email: string;
  password: string;
  displayName?: string | null;
  locale?: string | null;
}

export interface LoginInput {
  email: string;
  password: string;
}

export type RegisterOutcome =
  | IssuedSession
  | ReturnType<typeof invalidEmail | typeof passwordTooWeak | typeof emailTaken | typeof validationFailed | typeof busy>;

export type LoginOutcome = IssuedSession | ReturnType<typeof invalidCredentials | typeof busy>;

const RETRY_AFTER_BUSY_SECONDS = 1;

/** The profile fields `register` accepts, checked by the same rules the users service applies. */
function checkProfileSeed(input: RegisterInput): { seed: ProfileSeed; violations: FieldViolation[] } {
  const violations: FieldViolation[] = [];
  const displayName = readText(violations, 'displayName', input.displayName, { maxLength: DISPLAY_NAME_MAX_LENGTH });
  const preferredLocale = readLocale(violations, 'locale', input.locale);
  return { seed: { ...(displayName ? { displayName } : {}), ...(preferredLocale ? { preferredLocale } : {}) }, violations };
}

export type AccountUseCases = ReturnType<typeof createAccountUseCases>;

export function createAccountUseCases(deps: {
  db: AuthDb;
  accounts: AccountsRepository;
  hasher: PasswordHasher;
  sessions: SessionUseCases;
  profileSeeder: ProfileSeeder;
}) {
  const { db, accounts, hasher, sessions } = deps;

  return {
    async register(input: RegisterInput, client: ClientInfo): Promise<RegisterOutcome> {
      const email = normalizeEmail(input.email);
      if (!email) return invalidEmail();
      const password = checkPassword(input.password);
      if (!password.ok) return passwordTooWeak(password.reason);
      const { seed, violations } = checkProfileSeed(input);
      if (violations.length > 0) return validationFailed(violations);

      let passwordHash: string;
      try {
        // Hash before looking at the table, so a taken address costs the same time as a free one.
        passwordHash = await hasher.hash(password.password);
      } catch (error) {
        if (error instanceof QueueFull) return busy(RETRY_AFTER_BUSY_SECONDS);
        throw error;
      }
      const issued = await db.transaction(async (tx) => {
        const account = await accounts.insert(tx, { email, passwordHash });
        return account ? sessions.start(tx, account, client) : null;
      });
      if (!issued) return emailTaken();
      if (Object.keys(seed).length > 0) await deps.profileSeeder.seed(issued.accessToken, seed);
      return issued;
    },

    /** Unknown e-mail and wrong password give the same answer after the same amount of hashing work. */
    async login(input: LoginInput, client: ClientInfo): Promise<LoginOutcome> {
      const email = normalizeEmail(input.email);
      const password = checkPassword(input.password);
      if (!email || !password.ok) return invalidCredentials();
      try {
        const found = await accounts.findCredentials(email);
        if (!found) {
          await hasher.verifyAgainstDummy(password.password);
          return invalidCredentials();
        }
        if (!(await hasher.verify(found.passwordHash, password.password))) return invalidCredentials();
        if (hasher.needsRehash(found.passwordHash)) {
          await accounts.updatePasswordHash(found.account.id, await hasher.hash(password.password));
        }
        return await db.transaction((tx) => sessions.start(tx, found.account, client));
      } catch (error) {
        if (error instanceof QueueFull) return busy(RETRY_AFTER_BUSY_SECONDS);
        throw error;
      }
    },
  };
}
