import type { RouterOperations } from '../router-calls/router-operations.client.js';

export interface ProfileSeed {
  userId: string;
  displayName?: string;
  preferredLocale?: string;
}

/**
 * The profile belongs to the users service, so the name and locale given at sign-up reach it the way
 * any client's would: an `updateProfile` call through the router, as the new user (schema/service-operations,
 * `SeedProfile`). Delivered by the outbox, so a failure is retried.
 */
export function createProfileSeeder(options: { router: RouterOperations }) {
  return async function seed({ userId, ...input }: ProfileSeed): Promise<void> {
    const data = await options.router.run('SeedProfile', { userId, roles: ['customer'] }, { input });
    const outcome = (data.updateProfile as { __typename?: string } | null)?.__typename;
    if (outcome !== 'ProfileUpdated') throw new Error(`profile seed answered ${outcome ?? 'without data'}`);
  };
}
