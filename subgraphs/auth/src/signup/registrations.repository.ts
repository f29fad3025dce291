import { and, desc, eq, gt, isNull, ne } from 'drizzle-orm';
import { registrations, type RegistrationRow } from '@meridian/db/auth';
import type { AuthExecutor } from '../db.js';

export type RegistrationsRepository = ReturnType<typeof createRegistrationsRepository>;

export function createRegistrationsRepository() {
  return {
    async create(
      tx: AuthExecutor,
      input: { email: string; passwordHash: string; displayName: string | null; locale: string | null; expiresAt: Date },
    ): Promise<string> {
      const [row] = await tx.insert(registrations).values(input).returning({ id: registrations.id });
      if (!row) throw new Error('registration insert returned no row');
      return row.id;
    },

    /** The address's sign-ups still waiting for their link, newest first. */
    async pending(tx: AuthExecutor, email: string, now: Date, limit: number): Promise<RegistrationRow[]> {
      return tx
        .select()
        .from(registrations)
        .where(and(eq(registrations.email, email), isNull(registrations.completedAt), gt(registrations.expiresAt, now)))
        .orderBy(desc(registrations.createdAt))
        .limit(limit);
    },

    async findPending(tx: AuthExecutor, id: string, now: Date): Promise<RegistrationRow | null> {
      const [row] = await tx
        .select()
        .from(registrations)
        .where(and(eq(registrations.id, id), isNull(registrations.completedAt), gt(registrations.expiresAt, now)))
        .for('update');
      return row ?? null;
    },

    async extend(tx: AuthExecutor, id: string, expiresAt: Date): Promise<void> {
      await tx.update(registrations).set({ expiresAt }).where(eq(registrations.id, id));
    },

    /** Account deletion: every sign-up of the address, completed or pending, and their links (foreign key). */
    async deleteByEmail(tx: AuthExecutor, email: string): Promise<void> {
      await tx.delete(registrations).where(eq(registrations.email, email));
    },

    /** The registration became an account; other pending sign-ups of the address (and their links) are dropped. */
    async complete(tx: AuthExecutor, registration: RegistrationRow, now: Date): Promise<void> {
      await tx.update(registrations).set({ completedAt: now, passwordHash: '' }).where(eq(registrations.id, registration.id));
      await tx
        .delete(registrations)
        .where(and(eq(registrations.email, registration.email), isNull(registrations.completedAt), ne(registrations.id, registration.id)));
    },
  };
}
