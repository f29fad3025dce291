import { validationFailed, type Viewer } from '@meridian/platform';
import type { UsersDb } from '../db.js';
import { validateProfilePatch, type ProfilePatch } from './profile.rules.js';
import type { UserReference } from './profile.model.js';
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
  };
}
