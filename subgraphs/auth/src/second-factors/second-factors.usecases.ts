import { isUuid, notFound, rateLimited, validationFailed, type ClientInfo, type Viewer } from '@meridian/platform';
import type { Account } from '../accounts/accounts.model.js';
import type { AccountsRepository } from '../accounts/accounts.repository.js';
import { identifierOf } from '../accounts/identifiers.js';
import type { AuditTrail } from '../audit/audit.repository.js';
import type { AuthDb, AuthExecutor } from '../db.js';
import type { Mailer } from '../mail/mailer.js';
import type { RateLimits } from '../protection/rate-limits.js';
import { invalidSecondFactor, secondFactorAlreadyEnabled } from './second-factors.errors.js';
import type { SecondFactorsSummary } from './second-factors.model.js';
import type { SecondFactorsRepository } from './second-factors.repository.js';
import { newRecoveryCodes, recoveryCodeHash } from './recovery-codes.js';
import { openSecret, sealSecret } from './factor-secret.js';
import { acceptedTotpStep, newTotpSecret, totpQrCodeSvg, totpUri } from './totp.js';
import type { WebAuthn } from './webauthn.js';

export const CEREMONY_SECONDS = 5 * 60;
const PASSKEY_NAME_MAX_LENGTH = 64;
const CONTROL_CHARACTER = /\p{Cc}/u;

export interface SecondFactorDeps {
  db: AuthDb;
  accounts: AccountsRepository;
  factors: SecondFactorsRepository;
  audit: AuditTrail;
  mailer: Mailer;
  rateLimits: RateLimits;
  webauthn: WebAuthn;
  /** Encrypts TOTP secrets at rest (derived from AUTH_SECRET). */
  totpKey: Buffer;
  /** Keys the hashes of recovery codes (derived from AUTH_SECRET). */
  recoveryCodeKey: Buffer;
  identifierKey: Buffer;
  /** The issuer authenticator apps show next to the code (`TOTP_ISSUER`). */
  totpIssuer: string;
  wakeOutbox: () => void;
  now?: () => Date;
}

export type SecondFactorUseCases = ReturnType<typeof createSecondFactorUseCases>;

/** Enrolling, listing and removing second factors: authenticator app (TOTP), passkeys and recovery codes. */
export function createSecondFactorUseCases(deps: SecondFactorDeps) {
  const { db, factors, audit, mailer } = deps;
  const now = deps.now ?? (() => new Date());
  const mailTo = (account: Account) => ({ accountId: account.id, locale: account.locale });

  async function accountOf(viewer: Viewer, executor: AuthExecutor = db): Promise<Account> {
    const [account] = await deps.accounts.findByIds([viewer.userId], executor);
    if (!account) throw new Error('the signed-in account no longer exists');
    return account;
  }

  /** The first second factor comes with ten recovery codes, shown once; later ones keep the codes the account has. */
  async function recoveryCodesForFirstFactor(tx: AuthExecutor, userId: string): Promise<string[]> {
    const summary = await factors.summaryOf(tx, userId);
    if (summary.recoveryCodesRemaining > 0) return [];
    const codes = newRecoveryCodes();
    await factors.replaceRecoveryCodes(tx, userId, codes.map((code) => recoveryCodeHash(deps.recoveryCodeKey, code)!));
    return codes;
  }

  /** Without any second factor left, recovery codes recover nothing: they go too. */
  async function dropCodesIfNoFactorLeft(tx: AuthExecutor, userId: string): Promise<void> {
    const summary = await factors.summaryOf(tx, userId);
    if (!summary.totp && summary.passkeys.length === 0) await factors.deleteRecoveryCodes(tx, userId);
  }

  async function consumeAttempt(account: Account, client: ClientInfo) {
    return deps.rateLimits.consume('login', { ip: client.ip, identifier: identifierOf(deps.identifierKey, account.email) });
  }

  return {
    async summaryOf(userId: string): Promise<SecondFactorsSummary> {
      const summary = await factors.summaryOf(db, userId);
      return { userId, ...summary, passkeys: summary.passkeys.map(({ id, userId: owner, name, backedUp, createdAt, lastUsedAt }) => ({ id, userId: owner, name, backedUp, createdAt, lastUsedAt })) };
    },

    async startTotpEnrollment(viewer: Viewer) {
      const account = await accountOf(viewer);
      const secret = newTotpSecret();
      if (!(await factors.savePendingTotp(db, account.id, sealSecret(deps.totpKey, secret)))) return secondFactorAlreadyEnabled();
      const otpauthUri = totpUri({ issuer: deps.totpIssuer, accountName: account.email, secret });
      return { __typename: 'TotpEnrollment', otpauthUri, qrCodeSvg: await totpQrCodeSvg(otpauthUri), secret } as const;
    },

    /** Activates the pending authenticator with a current code (which is then used up, like any code). */
    async confirmTotpEnrollment(viewer: Viewer, code: string, client: ClientInfo) {
      const account = await accountOf(viewer);
      const rate = await consumeAttempt(account, client);
      if (!rate.ok) return rateLimited(rate.retryAfterSeconds);
      const pending = await factors.findTotp(db, account.id);
      if (!pending || pending.confirmedAt !== null) return invalidSecondFactor();
      const step = await acceptedTotpStep({ secret: openSecret(deps.totpKey, pending.secret), code, lastUsedStep: pending.lastUsedStep, nowMs: now().getTime() });
      if (step === null) return invalidSecondFactor();
      const outcome = await db.transaction(async (tx) => {
        if (!(await factors.useTotpStep(tx, account.id, step, true, now()))) return invalidSecondFactor();
        const recoveryCodes = await recoveryCodesForFirstFactor(tx, account.id);
        await audit.record(tx, client, { kind: 'second_factor_enrolled', userId: account.id, sessionId: viewer.sessionId, details: { method: 'totp' } });
        await mailer.securityNotice(tx, account.email, mailTo(account), { kind: 'totp_enabled' });
        return { __typename: 'TotpEnabled', recoveryCodes, user: account } as const;
      });
      deps.wakeOutbox();
      return outcome;
    },

    async removeTotp(viewer: Viewer, client: ClientInfo) {
      const outcome = await db.transaction(async (tx) => {
        if (!(await factors.deleteTotp(tx, viewer.userId))) return notFound('No authenticator app is enabled');
        const account = await accountOf(viewer, tx);
        await dropCodesIfNoFactorLeft(tx, account.id);
        await audit.record(tx, client, { kind: 'second_factor_removed', userId: account.id, sessionId: viewer.sessionId, details: { method: 'totp' } });
        await mailer.securityNotice(tx, account.email, mailTo(account), { kind: 'totp_removed' });
        return { __typename: 'SecondFactorRemoved', user: account } as const;
      });
      deps.wakeOutbox();
      return outcome;
    },

    /** Ten new codes; every earlier one, used or not, stops working. */
    async generateRecoveryCodes(viewer: Viewer, client: ClientInfo) {
      const codes = newRecoveryCodes();
      const user = await db.transaction(async (tx) => {
        const account = await accountOf(viewer, tx);
        await factors.replaceRecoveryCodes(tx, account.id, codes.map((code) => recoveryCodeHash(deps.recoveryCodeKey, code)!));
        await audit.record(tx, client, { kind: 'recovery_codes_generated', userId: account.id, sessionId: viewer.sessionId });
        await mailer.securityNotice(tx, account.email, mailTo(account), { kind: 'recovery_codes_generated' });
        return account;
      });
      deps.wakeOutbox();
      return { __typename: 'RecoveryCodes', codes, user } as const;
    },

    async startPasskeyRegistration(viewer: Viewer) {
      const account = await accountOf(viewer);
      const { challenge, options } = await deps.webauthn.registrationOptions(account, await factors.listPasskeys(db, account.id));
      const challengeId = await factors.createChallenge(db, {
        purpose: 'passkey_registration',
        userId: account.id,
        sessionId: viewer.sessionId,
        webauthnChallenge: challenge,
        expiresAt: new Date(now().getTime() + CEREMONY_SECONDS * 1000),
      });
      return { __typename: 'WebAuthnCeremony', challengeId, options } as const;
    },

    async finishPasskeyRegistration(viewer: Viewer, input: { challengeId: string; name: string; response: Record<string, unknown> }, client: ClientInfo) {
      const name = input.name.trim();
      if (name.length === 0 || name.length > PASSKEY_NAME_MAX_LENGTH || CONTROL_CHARACTER.test(name)) {
        return validationFailed([
          { field: 'name', code: name.length === 0 ? 'REQUIRED' : name.length > PASSKEY_NAME_MAX_LENGTH ? 'TOO_LONG' : 'INVALID_FORMAT', message: `A name of 1 to ${PASSKEY_NAME_MAX_LENGTH} characters` },
        ]);
      }
      if (!isUuid(input.challengeId)) return invalidSecondFactor();
      // The challenge is used up by this attempt whatever its outcome: a WebAuthn challenge is signed once.
      const challenge = await db.transaction(async (tx) => {
        const live = await factors.findLiveChallenge(tx, input.challengeId, 'passkey_registration', now());
        if (!live || live.userId !== viewer.userId || live.sessionId !== viewer.sessionId) return null;
        await factors.useChallenge(tx, live.id, now());
        return live;
      });
      if (!challenge?.webauthnChallenge) return invalidSecondFactor();
      const credential = await deps.webauthn.verifyRegistration(input.response, challenge.webauthnChallenge);
      if (!credential) return invalidSecondFactor();
      const outcome = await db.transaction(async (tx) => {
        const account = await accountOf(viewer, tx);
        const passkey = await factors.addPasskey(tx, { userId: account.id, name, ...credential });
        if (!passkey) return invalidSecondFactor();
        const recoveryCodes = await recoveryCodesForFirstFactor(tx, account.id);
        await audit.record(tx, client, { kind: 'second_factor_enrolled', userId: account.id, sessionId: viewer.sessionId, details: { method: 'passkey', passkeyId: passkey.id } });
        await mailer.securityNotice(tx, account.email, mailTo(account), { kind: 'passkey_added', passkeyName: name });
        return { __typename: 'PasskeyRegistered', passkey, recoveryCodes, user: account } as const;
      });
      deps.wakeOutbox();
      return outcome;
    },

    async removePasskey(viewer: Viewer, id: string, client: ClientInfo) {
      if (!isUuid(id)) return notFound('No such passkey');
      const outcome = await db.transaction(async (tx) => {
        const passkey = (await factors.listPasskeys(tx, viewer.userId)).find((candidate) => candidate.id === id.toLowerCase());
        if (!passkey || !(await factors.deletePasskey(tx, viewer.userId, passkey.id))) return notFound('No such passkey');
        const account = await accountOf(viewer, tx);
        await dropCodesIfNoFactorLeft(tx, account.id);
        await audit.record(tx, client, { kind: 'second_factor_removed', userId: account.id, sessionId: viewer.sessionId, details: { method: 'passkey', passkeyId: passkey.id } });
        await mailer.securityNotice(tx, account.email, mailTo(account), { kind: 'passkey_removed', passkeyName: passkey.name });
        return { __typename: 'SecondFactorRemoved', user: account } as const;
      });
      deps.wakeOutbox();
      return outcome;
    },
  };
}
