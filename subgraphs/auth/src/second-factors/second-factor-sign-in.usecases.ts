import { isUuid, notFound, rateLimited, type ClientInfo, type Viewer } from '@meridian/platform';
import { hashingBusy, invalidCredentials } from '../accounts/accounts.errors.js';
import type { Account } from '../accounts/accounts.model.js';
import { identifierOf } from '../accounts/identifiers.js';
import { QueueFull } from '../accounts/concurrency-limiter.js';
import type { Reauthentication } from '../accounts/credential-check.js';
import type { AuthExecutor } from '../db.js';
import type { Lockout } from '../protection/lockout.js';
import type { IssuedSession } from '../sessions/sessions.model.js';
import type { AuthenticationMethod, SessionUseCases } from '../sessions/sessions.usecases.js';
import { openSecret } from './factor-secret.js';
import { recoveryCodeHash } from './recovery-codes.js';
import { invalidSecondFactor } from './second-factors.errors.js';
import type { SecondFactorMethod, SecondFactorProof } from './second-factors.model.js';
import type { Challenge } from './second-factors.repository.js';
import { CEREMONY_SECONDS, type SecondFactorDeps } from './second-factors.usecases.js';
import { acceptedTotpStep } from './totp.js';

const NO_ACCOUNT = '00000000-0000-0000-0000-000000000000';

/** `login`'s answer for an account with a second factor. */
export interface SecondFactorRequired {
  __typename: 'SecondFactorRequired';
  challengeId: string;
  methods: SecondFactorMethod[];
  expiresAt: Date;
  webauthnOptions: Record<string, unknown> | null;
}

type ProofCheck = { ok: true; amr: AuthenticationMethod[]; usedRecoveryCode: boolean } | { ok: false; burnChallenge: boolean };

export type SecondFactorSignIn = ReturnType<typeof createSecondFactorSignIn>;

/**
 * Sign-in with a second factor (after the password, or a passkey alone) and step-up. Failures all
 * answer alike; second-factor attempts count toward the first factor's rate limits and lockout.
 */
export function createSecondFactorSignIn(
  deps: SecondFactorDeps & { sessions: SessionUseCases; lockout: Lockout; reauthenticate: Reauthentication },
) {
  const { db, factors, audit, mailer } = deps;
  const now = deps.now ?? (() => new Date());
  const mailTo = (account: Account) => ({ accountId: account.id, locale: account.locale });

  /** Checks one proof for `userId`, using up what it uses (the TOTP step, the recovery code, the passkey's counter). */
  async function checkProof(tx: AuthExecutor, userId: string, proof: SecondFactorProof, webauthnChallenge: string | null): Promise<ProofCheck> {
    switch (proof.kind) {
      case 'totp': {
        const totp = await factors.findTotp(tx, userId);
        if (!totp?.confirmedAt) return { ok: false, burnChallenge: false };
        const step = await acceptedTotpStep({ secret: openSecret(deps.totpKey, totp.secret), code: proof.code, lastUsedStep: totp.lastUsedStep, nowMs: now().getTime() });
        if (step === null || !(await factors.useTotpStep(tx, userId, step, false, now()))) return { ok: false, burnChallenge: false };
        return { ok: true, amr: ['pwd', 'otp', 'mfa'], usedRecoveryCode: false };
      }
      case 'recovery_code': {
        const hash = recoveryCodeHash(deps.recoveryCodeKey, proof.code);
        if (hash === null || !(await factors.useRecoveryCode(tx, userId, hash, now()))) return { ok: false, burnChallenge: false };
        return { ok: true, amr: ['pwd', 'otp', 'mfa'], usedRecoveryCode: true };
      }
      case 'passkey': {
        // A WebAuthn challenge is signed once: any answer to it, right or wrong, uses it up.
        const credentialId = deps.webauthn.credentialIdOf(proof.response);
        const passkey = credentialId ? await factors.findPasskeyByCredentialId(tx, credentialId) : null;
        if (!webauthnChallenge || !passkey || passkey.userId !== userId) return { ok: false, burnChallenge: true };
        const verified = await deps.webauthn.verifyAuthentication(proof.response, webauthnChallenge, passkey);
        if (!verified) return { ok: false, burnChallenge: true };
        await factors.recordPasskeyUse(tx, passkey.id, verified.newSignCount, now());
        return { ok: true, amr: ['pwd', 'hwk', 'mfa'], usedRecoveryCode: false };
      }
    }
  }

  async function methodsOf(executor: AuthExecutor, userId: string) {
    const summary = await factors.summaryOf(executor, userId);
    const methods: SecondFactorMethod[] = [];
    if (summary.totp) methods.push('TOTP');
    if (summary.passkeys.length > 0) methods.push('PASSKEY');
    if (methods.length > 0 && summary.recoveryCodesRemaining > 0) methods.push('RECOVERY_CODE');
    return { methods, passkeys: summary.passkeys };
  }

  async function accountById(executor: AuthExecutor, id: string): Promise<Account | null> {
    const [account] = await deps.accounts.findByIds([id], executor);
    return account ?? null;
  }

  /** A failed second factor: audited, and its owner told (their password is known to whoever tried). */
  async function recordFailure(account: Account, client: ClientInfo, reason: string, identifier: string | null): Promise<void> {
    await db.transaction(async (tx) => {
      await audit.record(tx, client, { kind: 'second_factor_failed', userId: account.id, details: { reason, identifier } });
      await mailer.securityNotice(tx, account.email, mailTo(account), { kind: 'second_factor_failed' });
    });
    deps.wakeOutbox();
  }

  /** The password was right: a five-minute challenge bound to this attempt (its lockout key), instead of a session. */
  async function challenge(tx: AuthExecutor, account: Account, identifier: string): Promise<SecondFactorRequired> {
    const { methods, passkeys } = await methodsOf(tx, account.id);
    const ceremony = passkeys.length > 0 ? await deps.webauthn.authenticationOptions(passkeys) : null;
    const expiresAt = new Date(now().getTime() + CEREMONY_SECONDS * 1000);
    const challengeId = await factors.createChallenge(tx, {
      purpose: 'second_factor',
      userId: account.id,
      identifier,
      firstFactor: 'pwd',
      webauthnChallenge: ceremony?.challenge ?? null,
      expiresAt,
    });
    return { __typename: 'SecondFactorRequired', challengeId, methods, expiresAt, webauthnOptions: ceremony?.options ?? null };
  }

  async function reauthenticateWithPasskey(viewer: Viewer, challengeId: string, response: Record<string, unknown>, client: ClientInfo) {
    const [account] = await deps.accounts.findByIds([viewer.userId]);
    if (!account) return invalidSecondFactor();
    const rate = await deps.rateLimits.consume('login', { ip: client.ip, identifier: identifierOf(deps.identifierKey, account.email) });
    if (!rate.ok) return rateLimited(rate.retryAfterSeconds);
    const outcome = await db.transaction(async (tx) => {
      const challenge = isUuid(challengeId) ? await factors.findLiveChallenge(tx, challengeId, 'reauthentication', now()) : null;
      if (!challenge || challenge.userId !== viewer.userId || challenge.sessionId !== viewer.sessionId) return null;
      await factors.useChallenge(tx, challenge.id, now());
      const check = await checkProof(tx, account.id, { kind: 'passkey', response }, challenge.webauthnChallenge);
      if (!check.ok) return null;
      const amr: AuthenticationMethod[] = ['hwk', 'mfa'];
      const reproved = await deps.sessions.reprove(tx, viewer, account, amr);
      if (!reproved) return null;
      await audit.record(tx, client, { kind: 'reauthenticated', userId: account.id, sessionId: viewer.sessionId, details: { amr: amr.join(' ') } });
      return { __typename: 'Reauthenticated', accessToken: reproved.access.token, accessTokenExpiresAt: reproved.access.expiresAt, user: account } as const;
    });
    if (outcome) return outcome;
    await recordFailure(account, client, 'reauthentication_passkey', null);
    return invalidSecondFactor();
  }

  return {
    /** Whether a sign-in of this account needs a second factor; asked before the password is checked (same queries for an unknown address). */
    requiresSecondFactor: (userId: string | null): Promise<boolean> => factors.hasSecondFactor(db, userId ?? NO_ACCOUNT),

    challenge,

    /** After a password reset: the challenge when the account has a second factor (the link alone proves only the mailbox), else null. */
    async challengeIfEnrolled(tx: AuthExecutor, account: Account): Promise<SecondFactorRequired | null> {
      const { methods } = await methodsOf(tx, account.id);
      return methods.length > 0 ? challenge(tx, account, identifierOf(deps.identifierKey, account.email)) : null;
    },

    async completeSecondFactor(challengeId: string, proof: SecondFactorProof | null, client: ClientInfo): Promise<IssuedSession | ReturnType<typeof invalidSecondFactor> | ReturnType<typeof rateLimited>> {
      const known = isUuid(challengeId) ? await db.transaction((tx) => factors.findLiveChallenge(tx, challengeId, 'second_factor', now())) : null;
      const identifier = known?.identifier ?? null;
      const rate = await deps.rateLimits.consume('login', { ip: client.ip, identifier });
      if (!rate.ok) return rateLimited(rate.retryAfterSeconds);
      if (!known?.userId || identifier === null || proof === null) return invalidSecondFactor();
      const attempt = await deps.lockout.begin(identifier);
      const userId = known.userId;
      const outcome = await db.transaction(async (tx): Promise<{ session: IssuedSession; usedRecoveryCode: boolean } | { failed: string }> => {
        const challenge: Challenge | null = await factors.findLiveChallenge(tx, challengeId, 'second_factor', now());
        if (!challenge) return { failed: 'challenge_used' };
        if (!attempt.allowed) return { failed: 'locked' };
        const check = await checkProof(tx, userId, proof, challenge.webauthnChallenge);
        if (!check.ok) {
          if (check.burnChallenge) await factors.useChallenge(tx, challenge.id, now());
          return { failed: `wrong_${proof.kind}` };
        }
        await factors.useChallenge(tx, challenge.id, now());
        const account = await accountById(tx, userId);
        if (!account) return { failed: 'account_gone' };
        const session = await deps.sessions.start(tx, account, client, check.amr);
        await audit.record(tx, client, { kind: 'sign_in_succeeded', userId, sessionId: session.viewer.sessionId, details: { method: proof.kind } });
        if (check.usedRecoveryCode) {
          await audit.record(tx, client, { kind: 'recovery_code_used', userId, sessionId: session.viewer.sessionId });
          await mailer.securityNotice(tx, account.email, mailTo(account), { kind: 'recovery_code_used' });
        }
        return { session, usedRecoveryCode: check.usedRecoveryCode };
      });
      if ('session' in outcome) {
        await deps.lockout.succeed(identifier);
        if (outcome.usedRecoveryCode) deps.wakeOutbox();
        return outcome.session;
      }
      if (attempt.allowed) await deps.lockout.fail(identifier, attempt);
      const account = await accountById(db, userId);
      if (account) await recordFailure(account, client, outcome.failed, identifier);
      return invalidSecondFactor();
    },

    /** A sign-in with a passkey alone (a discoverable credential): no e-mail, no password. */
    async startPasskeySignIn(client: ClientInfo) {
      const rate = await deps.rateLimits.consume('login', { ip: client.ip });
      if (!rate.ok) return rateLimited(rate.retryAfterSeconds);
      const { challenge, options } = await deps.webauthn.authenticationOptions(null);
      const challengeId = await factors.createChallenge(db, {
        purpose: 'passkey_sign_in',
        webauthnChallenge: challenge,
        expiresAt: new Date(now().getTime() + CEREMONY_SECONDS * 1000),
      });
      return { __typename: 'WebAuthnCeremony', challengeId, options } as const;
    },

    async finishPasskeySignIn(challengeId: string, response: Record<string, unknown>, client: ClientInfo) {
      const credentialId = deps.webauthn.credentialIdOf(response);
      const rate = await deps.rateLimits.consume('login', { ip: client.ip, identifier: credentialId });
      if (!rate.ok) return rateLimited(rate.retryAfterSeconds);
      if (!isUuid(challengeId) || !credentialId) return invalidCredentials();
      const challenge = await db.transaction(async (tx) => {
        const live = await factors.findLiveChallenge(tx, challengeId, 'passkey_sign_in', now());
        if (live) await factors.useChallenge(tx, live.id, now());
        return live;
      });
      const passkey = await factors.findPasskeyByCredentialId(db, credentialId);
      const userHandle = deps.webauthn.userHandleOf(response);
      const verified =
        challenge?.webauthnChallenge && passkey && (userHandle === null || userHandle === passkey.userId)
          ? await deps.webauthn.verifyAuthentication(response, challenge.webauthnChallenge, passkey)
          : null;
      if (!verified || !passkey) {
        await audit.record(db, client, { kind: 'sign_in_failed', userId: passkey?.userId ?? null, details: { reason: challenge ? 'passkey_refused' : 'challenge_used', method: 'passkey' } });
        return invalidCredentials();
      }
      return db.transaction(async (tx) => {
        const account = await accountById(tx, passkey.userId);
        if (!account) return invalidCredentials();
        await factors.recordPasskeyUse(tx, passkey.id, verified.newSignCount, now());
        // A passkey with user verification is possession and a PIN or biometric: two factors in one.
        const session = await deps.sessions.start(tx, account, client, ['hwk', 'mfa']);
        await audit.record(tx, client, { kind: 'sign_in_succeeded', userId: account.id, sessionId: session.viewer.sessionId, details: { method: 'passkey' } });
        return session;
      });
    },

    /**
     * Step-up: the password, and with a second factor on the account a TOTP or recovery code too; the
     * session's `auth_time` becomes now. Counted like a sign-in (rate limit, lockout).
     */
    /** Step-up with a passkey: a challenge for the viewer's passkeys, bound to this session. */
    async startPasskeyReauthentication(viewer: Viewer) {
      const passkeys = await factors.listPasskeys(db, viewer.userId);
      if (passkeys.length === 0) return notFound('The account has no passkey');
      const { challenge, options } = await deps.webauthn.authenticationOptions(passkeys);
      const challengeId = await factors.createChallenge(db, {
        purpose: 'reauthentication',
        userId: viewer.userId,
        sessionId: viewer.sessionId,
        webauthnChallenge: challenge,
        expiresAt: new Date(now().getTime() + CEREMONY_SECONDS * 1000),
      });
      return { __typename: 'WebAuthnCeremony', challengeId, options } as const;
    },

    /**
     * Step-up with a passkey alone (possession and user verification: two factors), or with the password
     * plus, when the account has a second factor, a TOTP or recovery code.
     */
    async reauthenticate(
      viewer: Viewer,
      input: { password?: string | null; totp?: string | null; recoveryCode?: string | null; challengeId?: string | null; webauthnResponse?: Record<string, unknown> | null },
      client: ClientInfo,
    ) {
      if (input.webauthnResponse != null) return reauthenticateWithPasskey(viewer, input.challengeId ?? '', input.webauthnResponse, client);
      if (input.password == null) return invalidCredentials();
      const password = await deps.reauthenticate(viewer, input.password, client);
      if (!('ok' in password)) return password;
      const account = password.credentials.account;
      const { methods } = await methodsOf(db, account.id);
      const proof: SecondFactorProof | null = input.totp ? { kind: 'totp', code: input.totp } : input.recoveryCode ? { kind: 'recovery_code', code: input.recoveryCode } : null;
      if (methods.length > 0 && proof === null) return invalidSecondFactor();
      const identifier = identifierOf(deps.identifierKey, account.email);
      const attempt = proof ? await deps.lockout.begin(identifier) : null;
      try {
        const outcome = await db.transaction(async (tx) => {
          let amr: AuthenticationMethod[] = ['pwd'];
          if (proof) {
            const check = attempt?.allowed ? await checkProof(tx, account.id, proof, null) : ({ ok: false, burnChallenge: false } as const);
            if (!check.ok) return null;
            amr = check.amr;
            if (check.usedRecoveryCode) {
              await audit.record(tx, client, { kind: 'recovery_code_used', userId: account.id, sessionId: viewer.sessionId });
              await mailer.securityNotice(tx, account.email, mailTo(account), { kind: 'recovery_code_used' });
            }
          }
          const reproved = await deps.sessions.reprove(tx, viewer, account, amr);
          if (!reproved) return null;
          await audit.record(tx, client, { kind: 'reauthenticated', userId: account.id, sessionId: viewer.sessionId, details: { amr: amr.join(' ') } });
          return { __typename: 'Reauthenticated', accessToken: reproved.access.token, accessTokenExpiresAt: reproved.access.expiresAt, user: account } as const;
        });
        if (outcome === null) {
          if (attempt?.allowed) await deps.lockout.fail(identifier, attempt);
          if (proof) await recordFailure(account, client, `reauthentication_${proof.kind}`, identifier);
          return proof ? invalidSecondFactor() : invalidCredentials();
        }
        if (attempt) await deps.lockout.succeed(identifier);
        deps.wakeOutbox();
        return outcome;
      } catch (error) {
        if (error instanceof QueueFull) return hashingBusy();
        throw error;
      }
    },
  };
}
