import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import { emailTokens, type EmailTokenRow } from '@meridian/db/auth';
import type { AuthDb, AuthExecutor } from '../db.js';
import { isOpaqueTokenShaped, keyedHash, newOpaqueToken } from './opaque-token.js';

export type EmailTokenPurpose = EmailTokenRow['purpose'];

export type EmailTokensRepository = ReturnType<typeof createEmailTokensRepository>;

/**
 * Single-use tokens sent in links. Only their keyed hash is stored; each is tied to the account (or
 * pending registration) it was issued for, and a new one for the same purpose revokes the older.
 */
export function createEmailTokensRepository({ db, key }: { db: AuthDb; key: Buffer }) {
  const hash = (token: string) => keyedHash(key, token);
  const live = (purpose: EmailTokenPurpose, token: string, now: Date) =>
    and(eq(emailTokens.tokenHash, hash(token)), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt), isNull(emailTokens.revokedAt), gt(emailTokens.expiresAt, now));

  return {
    async issue(
      tx: AuthExecutor,
      input: { purpose: EmailTokenPurpose; userId?: string; registrationId?: string; email: string; expiresAt: Date },
      now: Date,
    ): Promise<string> {
      const subject = input.userId ? eq(emailTokens.userId, input.userId) : input.registrationId ? eq(emailTokens.registrationId, input.registrationId) : undefined;
      if (!subject) throw new Error('an e-mail token needs an account or a registration');
      await tx
        .update(emailTokens)
        .set({ revokedAt: now })
        .where(and(subject, eq(emailTokens.purpose, input.purpose), isNull(emailTokens.usedAt), isNull(emailTokens.revokedAt)));
      const token = newOpaqueToken();
      await tx.insert(emailTokens).values({ ...input, tokenHash: hash(token) });
      return token;
    },

    /** The token's row if it is live, without using it up. */
    async peek(purpose: EmailTokenPurpose, token: string, now: Date): Promise<EmailTokenRow | null> {
      if (!isOpaqueTokenShaped(token)) return null;
      const [row] = await db.select().from(emailTokens).where(live(purpose, token, now));
      return row ?? null;
    },

    /** Uses the token up if it is live; of concurrent uses exactly one succeeds. */
    async consume(tx: AuthExecutor, purpose: EmailTokenPurpose, token: string, now: Date): Promise<EmailTokenRow | null> {
      if (!isOpaqueTokenShaped(token)) return null;
      const [row] = await tx.update(emailTokens).set({ usedAt: now }).where(live(purpose, token, now)).returning();
      return row ?? null;
    },

    /** Account deletion: every token the account was ever sent, used or not. */
    async deleteForUser(tx: AuthExecutor, userId: string): Promise<void> {
      await tx.delete(emailTokens).where(eq(emailTokens.userId, userId));
    },

    /** Kills a user's outstanding tokens, e.g. every reset link once the password changes. */
    async revokeForUser(tx: AuthExecutor, userId: string, purposes: EmailTokenPurpose[], now: Date): Promise<void> {
      await tx
        .update(emailTokens)
        .set({ revokedAt: now })
        .where(and(eq(emailTokens.userId, userId), inArray(emailTokens.purpose, purposes), isNull(emailTokens.usedAt), isNull(emailTokens.revokedAt)));
    },
  };
}
