import { and, isNotNull, lt, or, sql } from 'drizzle-orm';
import { authChallenges, emailTokens, outbox, refreshTokens, registrations, sessions } from '@meridian/db/auth';
import type { Logger } from '@meridian/platform';
import type { AuthDb } from './db.js';

const HOUR_MS = 60 * 60 * 1000;
const ago = (interval: string) => sql`now() - ${interval}::interval`;

/**
 * Deletes what can no longer be used, once an hour: expired refresh tokens and links, ended
 * sessions after 30 days (their audit events stay), stale sign-ups, second-factor and passkey
 * challenges an hour after they expired, and delivered outbox rows.
 * Every statement is idempotent, so several replicas may run it.
 */
export function createHousekeeping(deps: { db: AuthDb; log: Logger; intervalMs?: number }) {
  const { db } = deps;
  let timer: NodeJS.Timeout | undefined;

  async function run(): Promise<void> {
    try {
      await db.delete(refreshTokens).where(lt(refreshTokens.expiresAt, ago('1 day')));
      await db.delete(sessions).where(or(lt(sessions.revokedAt, ago('30 days')), lt(sessions.expiresAt, ago('1 day'))));
      await db.delete(emailTokens).where(lt(emailTokens.expiresAt, ago('1 day')));
      await db.delete(registrations).where(lt(registrations.expiresAt, ago('1 day')));
      await db.delete(authChallenges).where(lt(authChallenges.expiresAt, ago('1 hour')));
      await db.delete(outbox).where(or(and(isNotNull(outbox.sentAt), lt(outbox.sentAt, ago('7 days'))), lt(outbox.deadAt, ago('30 days'))));
    } catch (error) {
      deps.log.warn({ err: error }, 'housekeeping failed; it runs again within the hour');
    }
  }

  return {
    run,
    start() {
      timer = setInterval(() => void run(), deps.intervalMs ?? HOUR_MS);
      timer.unref();
    },
    stop: () => clearInterval(timer),
  };
}
