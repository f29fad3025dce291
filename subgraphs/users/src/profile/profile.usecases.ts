import { validationFailed, type Viewer } from '@meridian/platform';
import type { UsersDb } from '../db.js';
import { validateProfilePatch, type ProfilePatch } from './profile.rules.js';
import type { Profile } from './profile.model.js';
import type { ProfilesRepository } from './profiles.repository.js';

export type ProfileUseCases = ReturnType<typeof createProfileUseCases>;

export function createProfileUseCases(deps: { db: UsersDb; profiles: ProfilesRepository }) {
  return {
    async update(viewer: Viewer, input: ProfilePatch) {
      const checked = validateProfilePatch(input);
      if (!checked.ok) return validationFailed(checked.violations);
      const row = await deps.profiles.upsert(deps.db, viewer.userId, checked.value);
      const profile: Profile & { __typename: 'Profile' } = {
        __typename: 'Profile',
        displayName: row.displayName,
        phone: row.phone,
        preferredLocale: row.preferredLocale,
        preferredCurrency: row.preferredCurrency,
      };
      return profile;
    },
  };
}
