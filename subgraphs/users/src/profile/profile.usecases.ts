import { isUuid, validationFailed, type Viewer } from '@meridian/platform';
import type { UsersDb } from '../db.js';
import { validateProfilePatch, type ProfilePatch } from './profile.rules.js';
import { toProfile, type UserReference } from './profile.model.js';
import type { ProfilesRepository } from './profiles.repository.js';

export type ProfileUseCases = ReturnType<typeof createProfileUseCases>;

export function createProfileUseCases(deps: { db: UsersDb; profiles: ProfilesRepository }) {
  return {
    /** Changes the viewer's profile; the answer is the user, whose profile the client reads anew. */
    async update(viewer: Viewer, input: ProfilePatch) {
      const checked = validateProfilePatch(input);
      if (!checked.ok) return validationFailed(checked.violations);
      await deps.profiles.upsert(deps.db, viewer.userId, checked.value);
      const user: UserReference = { __typename: 'User', id: viewer.userId };
      return { __typename: 'ProfileUpdated', user } as const;
    },

    /** The language and currency a user prefers (nulls when unknown), for the router's per-request resolution. */
    async preferences(userId: string): Promise<{ locale: string | null; currency: string | null }> {
      if (!isUuid(userId)) return { locale: null, currency: null };
      const [row] = await deps.profiles.findByUserIds([userId]);
      const profile = toProfile(row);
      return { locale: profile.preferredLocale, currency: profile.preferredCurrency };
    },
  };
}
