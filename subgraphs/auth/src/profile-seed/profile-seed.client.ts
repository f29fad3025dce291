import type { Logger } from '@meridian/platform';

export interface ProfileSeed {
  displayName?: string;
  preferredLocale?: string;
}

export interface ProfileSeeder {
  seed(accessToken: string, profile: ProfileSeed): Promise<void>;
}

const SEED_PROFILE = /* GraphQL */ `
  mutation SeedProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      __typename
    }
  }
`;

/**
 * The profile belongs to the users service, so the name and locale given at sign-up reach it the way
 * any client's would: an `updateProfile` call through the router, as the new user. A failure is
 * logged and does not undo the sign-up; the user can set the profile later.
 */
export function createProfileSeeder(options: { routerUrl: () => string; log: Logger; timeoutMs?: number }): ProfileSeeder {
  return {
    async seed(accessToken, profile) {
      try {
        const response = await fetch(options.routerUrl(), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
          body: JSON.stringify({ query: SEED_PROFILE, variables: { input: profile } }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
        });
        const result = (await response.json()) as { data?: { updateProfile?: { __typename?: string } } };
        if (result.data?.updateProfile?.__typename !== 'Profile') {
          options.log.warn({ status: response.status, result: result.data?.updateProfile?.__typename }, 'profile seed was not applied');
        }
      } catch (error) {
        options.log.warn({ err: error }, 'profile seed failed');
      }
    },
  };
}
