import { rateLimited, type ClientInfo } from '@meridian/platform';
import type { AuditTrail } from '../audit/audit.repository.js';
import type { AuthDb } from '../db.js';
import type { RateLimits } from '../protection/rate-limits.js';
import type { SecondFactorRequired, SecondFactorSignIn } from '../second-factors/second-factor-sign-in.usecases.js';
import type { IssuedSession } from '../sessions/sessions.model.js';
import type { SessionUseCases } from '../sessions/sessions.usecases.js';
import { hashingBusy, invalidCredentials } from './accounts.errors.js';
import type { AccountsRepository } from './accounts.repository.js';
import { QueueFull } from './concurrency-limiter.js';
import type { CredentialCheck } from './credential-check.js';
import { normalizeEmail } from './email.rules.js';
import { identifierOf } from './identifiers.js';
import { normalizePassword } from './password.policy.js';

export interface LoginInput {
  email: string;
  password: string;
}

export type LoginOutcome = IssuedSession | SecondFactorRequired | ReturnType<typeof invalidCredentials> | ReturnType<typeof rateLimited>;

export type SignInUseCases = ReturnType<typeof createSignInUseCases>;

export function createSignInUseCases(deps: {
  db: AuthDb;
  accounts: AccountsRepository;
  sessions: SessionUseCases;
  checkCredentials: CredentialCheck;
  rateLimits: RateLimits;
  audit: AuditTrail;
  identifierKey: Buffer;
  secondFactors: Pick<SecondFactorSignIn, 'requiresSecondFactor' | 'challenge'>;
}) {
  return {
    /**
     * An unknown e-mail, a wrong password, a locked identifier and a sign-up not yet verified (it has
     * no account yet) all answer InvalidCredentials, after the same argon2 work. An account with a
     * second factor gets SecondFactorRequired instead of a session.
     */
    async login(input: LoginInput, client: ClientInfo): Promise<LoginOutcome> {
      const identifier = identifierOf(deps.identifierKey, input.email);
      const rate = await deps.rateLimits.consume('login', { ip: client.ip, identifier });
      if (!rate.ok) return rateLimited(rate.retryAfterSeconds);
      const email = normalizeEmail(input.email);
      const password = normalizePassword(input.password);
      if (!email || !password.ok) return invalidCredentials();
      try {
        const found = await deps.accounts.findCredentialsByEmail(email);
        const secondFactor = await deps.secondFactors.requiresSecondFactor(found?.account.id ?? null);
        const verdict = await deps.checkCredentials({ identifier, found, password: password.password, client, settle: !secondFactor });
        if (!verdict.ok) return invalidCredentials();
        return await deps.db.transaction(async (tx) => {
          if (!(await deps.accounts.stillHasPassword(tx, verdict.account.id, verdict.passwordHash))) return invalidCredentials();
          if (secondFactor) return deps.secondFactors.challenge(tx, verdict.account, identifier);
          const session = await deps.sessions.start(tx, verdict.account, client);
          await deps.audit.record(tx, client, { kind: 'sign_in_succeeded', userId: verdict.account.id, sessionId: session.viewer.sessionId });
          return session;
        });
      } catch (error) {
        if (error instanceof QueueFull) return hashingBusy();
        throw error;
      }
    },
  };
}
