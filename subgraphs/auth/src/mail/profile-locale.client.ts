import type { Logger } from '@meridian/platform';
import type { RouterOperations } from '../router-calls/router-operations.client.js';

/**
 * The language an account's profile prefers, asked of the users service (which owns it) through the
 * router as that user, when a mail about the account leaves: a change of the preferred language
 * reaches the very next mail. A mail never waits on it long, and is not held back when the users
 * service cannot answer: it goes out in the language recorded with it.
 */
export function createProfileLocaleLookup(deps: { router: RouterOperations; log: Logger }) {
  return async (accountId: string): Promise<string | null> => {
    try {
      const data = (await deps.router.run('MailLocale', { userId: accountId, roles: ['customer'] })) as { me?: { profile?: { preferredLocale?: string | null } | null } | null };
      return data.me?.profile?.preferredLocale ?? null;
    } catch (error) {
      deps.log.warn({ err: error }, 'the profile language could not be read; the mail goes out in the language recorded with it');
      return null;
    }
  };
}
