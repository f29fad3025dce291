import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, gt, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { authChallenges, passkeys, recoveryCodes, totpFactors } from '@meridian/db/auth';
import type { AuthDb, AuthExecutor } from '../db.js';
import type { PasskeySummary } from './second-factors.model.js';

export type ChallengePurpose = (typeof authChallenges.$inferSelect)['purpose'];
export type Challenge = typeof authChallenges.$inferSelect;

export interface PasskeyRecord extends PasskeySummary {
  credentialId: string;
  publicKey: string;
  signCount: number;
  transports: string[];
}

const passkeyColumns = {
  id: passkeys.id,
  userId: passkeys.userId,
  name: passkeys.name,
  backedUp: passkeys.backedUp,
  createdAt: passkeys.createdAt,
  lastUsedAt: passkeys.lastUsedAt,
  credentialId: passkeys.credentialId,
  publicKey: passkeys.publicKey,
  signCount: passkeys.signCount,
  transports: passkeys.transports,
};

export type SecondFactorsRepository = ReturnType<typeof createSecondFactorsRepository>;

/** `auth.totp_factors`, `auth.passkeys`, `auth.recovery_codes` and `auth.auth_challenges`. */
export function createSecondFactorsRepository({ db }: { db: AuthDb }) {
  return {
    async findTotp(executor: AuthExecutor, userId: string) {
      const [row] = await executor.select().from(totpFactors).where(eq(totpFactors.userId, userId));
      return row ?? null;
    },

    /** Starts (or restarts) an enrolment; false when a confirmed authenticator exists, which it never replaces. */
    async savePendingTotp(tx: AuthExecutor, userId: string, sealedSecret: string): Promise<boolean> {
      const rows = await tx
        .insert(totpFactors)
        .values({ userId, secret: sealedSecret })
        .onConflictDoUpdate({ target: totpFactors.userId, set: { secret: sealedSecret, createdAt: new Date(), lastUsedStep: null }, setWhere: isNull(totpFactors.confirmedAt) })
        .returning({ userId: totpFactors.userId });
      return rows.length > 0;
    },

    /**
     * Records `step` as used, only if it is later than the last used one: the conditional update takes the
     * row lock, so of two requests with the same code exactly one succeeds. `confirming` activates a
     * pending authenticator; otherwise only a confirmed one counts.
     */
    async useTotpStep(tx: AuthExecutor, userId: string, step: number, confirming: boolean, now: Date): Promise<boolean> {
      const rows = await tx
        .update(totpFactors)
        .set({ lastUsedStep: step, ...(confirming ? { confirmedAt: now } : {}) })
        .where(
          and(
            eq(totpFactors.userId, userId),
            confirming ? isNull(totpFactors.confirmedAt) : isNotNull(totpFactors.confirmedAt),
            or(isNull(totpFactors.lastUsedStep), lt(totpFactors.lastUsedStep, step)),
          ),
        )
        .returning({ userId: totpFactors.userId });
      return rows.length > 0;
    },

    async deleteTotp(tx: AuthExecutor, userId: string): Promise<boolean> {
      const rows = await tx
        .delete(totpFactors)
        .where(and(eq(totpFactors.userId, userId), isNotNull(totpFactors.confirmedAt)))
        .returning({ userId: totpFactors.userId });
      return rows.length > 0;
    },

    listPasskeys: (executor: AuthExecutor, userId: string): Promise<PasskeyRecord[]> =>
      executor.select(passkeyColumns).from(passkeys).where(eq(passkeys.userId, userId)).orderBy(asc(passkeys.createdAt)),

    async findPasskeyByCredentialId(executor: AuthExecutor, credentialId: string): Promise<PasskeyRecord | null> {
      const [row] = await executor.select(passkeyColumns).from(passkeys).where(eq(passkeys.credentialId, credentialId));
      return row ?? null;
    },

    /** Null when the credential is registered already (to this or another account). */
    async addPasskey(
      tx: AuthExecutor,
      input: { userId: string; name: string; credentialId: string; publicKey: string; signCount: number; transports: string[]; backedUp: boolean },
    ): Promise<PasskeyRecord | null> {
      const [row] = await tx.insert(passkeys).values(input).onConflictDoNothing({ target: passkeys.credentialId }).returning(passkeyColumns);
      return row ?? null;
    },

    async recordPasskeyUse(tx: AuthExecutor, id: string, signCount: number, now: Date): Promise<void> {
      await tx.update(passkeys).set({ signCount, lastUsedAt: now }).where(eq(passkeys.id, id));
    },

    async deletePasskey(tx: AuthExecutor, userId: string, id: string): Promise<boolean> {
      const rows = await tx
        .delete(passkeys)
        .where(and(eq(passkeys.id, id), eq(passkeys.userId, userId)))
        .returning({ id: passkeys.id });
      return rows.length > 0;
    },

    async replaceRecoveryCodes(tx: AuthExecutor, userId: string, codeHashes: string[]): Promise<void> {
      await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
      await tx.insert(recoveryCodes).values(codeHashes.map((codeHash) => ({ userId, codeHash })));
    },

    async deleteRecoveryCodes(tx: AuthExecutor, userId: string): Promise<void> {
      await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    },

    /** Uses up one unused code; false when there is none with this hash (or it was used, by a concurrent request too). */
    async useRecoveryCode(tx: AuthExecutor, userId: string, codeHash: string, now: Date): Promise<boolean> {
      const rows = await tx
        .update(recoveryCodes)
        .set({ usedAt: now })
        .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
        .returning({ id: recoveryCodes.id });
      return rows.length > 0;
    },

    /** Whether a sign-in of the account needs a second factor: one query, asked on every `login`. */
    async hasSecondFactor(executor: AuthExecutor, userId: string): Promise<boolean> {
      const [row] = await executor.execute<{ enrolled: boolean }>(
        sql`select exists (select 1 from ${totpFactors} where ${totpFactors.userId} = ${userId} and ${totpFactors.confirmedAt} is not null)
            or exists (select 1 from ${passkeys} where ${passkeys.userId} = ${userId}) as enrolled`,
      );
      return row?.enrolled === true;
    },

    /** What an account has, for `SecondFactors` and for deciding how a sign-in's second factor can be given. */
    async summaryOf(executor: AuthExecutor, userId: string) {
      const [totp, keys, [codes]] = await Promise.all([
        executor.select({ confirmedAt: totpFactors.confirmedAt }).from(totpFactors).where(eq(totpFactors.userId, userId)),
        executor.select(passkeyColumns).from(passkeys).where(eq(passkeys.userId, userId)).orderBy(asc(passkeys.createdAt)),
        executor
          .select({ remaining: count() })
          .from(recoveryCodes)
          .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt))),
      ]);
      return { totp: totp[0]?.confirmedAt != null, passkeys: keys, recoveryCodesRemaining: codes?.remaining ?? 0 };
    },

    /**
     * A ceremony's handle is its id: a random UUID (v4, 122 random bits), not the time-ordered v7 of other
     * rows, because knowing it is what lets a client finish the ceremony.
     */
    async createChallenge(
      tx: AuthExecutor,
      input: { purpose: ChallengePurpose; userId?: string | null; sessionId?: string | null; webauthnChallenge?: string | null; identifier?: string | null; firstFactor?: string | null; expiresAt: Date },
    ): Promise<string> {
      const id = randomUUID();
      await tx.insert(authChallenges).values({ id, ...input });
      return id;
    },

    /** A live (unused, unexpired) challenge of this purpose, locked for the rest of the transaction. */
    async findLiveChallenge(tx: AuthExecutor, id: string, purpose: ChallengePurpose, now: Date): Promise<Challenge | null> {
      const [row] = await tx
        .select()
        .from(authChallenges)
        .where(and(eq(authChallenges.id, id), eq(authChallenges.purpose, purpose), isNull(authChallenges.usedAt), gt(authChallenges.expiresAt, now)))
        .for('update');
      return row ?? null;
    },

    async useChallenge(tx: AuthExecutor, id: string, now: Date): Promise<void> {
      await tx.update(authChallenges).set({ usedAt: now }).where(eq(authChallenges.id, id));
    },

    /** Housekeeping: challenges are worth nothing once expired. */
    async deleteExpiredChallenges(before: Date): Promise<number> {
      const rows = await db.delete(authChallenges).where(lt(authChallenges.expiresAt, before)).returning({ id: authChallenges.id });
      return rows.length;
    },
  };
}
